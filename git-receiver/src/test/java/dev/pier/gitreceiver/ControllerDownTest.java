package dev.pier.gitreceiver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.gitreceiver.ssh.SshServerLifecycle;
import dev.pier.testkit.Command;
import dev.pier.testkit.FreePorts;
import dev.pier.testkit.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The git receiver with its controller down, driven by the real git and ssh clients. */
class ControllerDownTest {

    /** Regression (#17, 6): a push while the controller was down said "Permission denied (publickey)". */
    @Test
    void aPushWhileTheControllerIsDownNamesTheUnreachableController() throws Exception {
        for (String tool : List.of("git", "ssh", "ssh-keygen")) {
            Requirements.require(Command.which(tool) != null, tool);
        }
        Path work = Files.createTempDirectory("pier-git-controller-down-");
        String controllerUrl = "http://127.0.0.1:" + FreePorts.next(); // nothing listens there
        try (ConfigurableApplicationContext receiver = new SpringApplicationBuilder(GitReceiverApplication.class)
                .run("--pier.cluster-key=k", "--pier.git-receiver.port=0",
                        "--pier.git-receiver.state-dir=" + work.resolve("receiver"),
                        "--pier.git-receiver.controller-url=" + controllerUrl,
                        "--pier.git-receiver.blobstore-url=http://127.0.0.1:9")) {
            int port = receiver.getBean(SshServerLifecycle.class).port();
            Path key = work.resolve("id_user");
            Command.check(Duration.ofSeconds(30), List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
                    key.toString()));
            Path repo = work.resolve("repo");
            Files.createDirectories(repo);
            Files.writeString(repo.resolve("Procfile"), "web: true\n");
            for (List<String> step : List.of(List.of("init", "-q", "-b", "main"), List.of("add", "-A"),
                    List.of("-c", "user.name=t", "-c", "user.email=t@pier.dev", "commit", "-q", "-m", "first"))) {
                List<String> git = new java.util.ArrayList<>(List.of("git"));
                git.addAll(step);
                assertThat(Command.run(Duration.ofSeconds(30), git, repo, Map.of()).exitCode()).isZero();
            }

            String ssh = "ssh -i " + key + " -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no"
                    + " -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR";
            Command.Result push = Command.run(Duration.ofMinutes(2), List.of("git", "push",
                    "ssh://git@127.0.0.1:" + port + "/shop.git", "main"), repo, Map.of("GIT_SSH_COMMAND", ssh));

            assertThat(push.exitCode()).isNotZero();
            assertThat(push.output()).doesNotContain("Permission denied")
                    .contains("pier: the controller at " + controllerUrl + " cannot be reached", "try again");
        } finally {
            Command.run(Duration.ofSeconds(30), List.of("rm", "-rf", work.toString()));
        }
    }
}
