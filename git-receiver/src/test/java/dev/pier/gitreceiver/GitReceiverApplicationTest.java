package dev.pier.gitreceiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.testkit.FreePorts;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The service as its own process: it listens for SSH, keeps its host key, stays up, and stops on SIGTERM. */
class GitReceiverApplicationTest {

    private static Process start(Path state, int port) throws Exception {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                GitReceiverApplication.class.getName(), "--pier.cluster-key=k", "--pier.git-receiver.port=" + port,
                "--pier.git-receiver.state-dir=" + state, "--pier.git-receiver.controller-url=http://127.0.0.1:9")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static String banner(int port) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            InputStream in = socket.getInputStream();
            return new String(in.readNBytes(8), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void runsAsItsOwnProcessKeepsItsHostKeyAndStopsOnSigterm() throws Exception {
        Path state = Files.createTempDirectory("pier-git-receiver-app-");
        int port = FreePorts.next();
        Process receiver = start(state, port);
        try {
            await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> banner(port).startsWith("SSH-2.0"));
            // SSHD's threads are daemons: the process must not end when main returns
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(receiver::isAlive);
            byte[] hostKey = Files.readAllBytes(state.resolve("ssh_host_key"));
            receiver.destroy();
            assertThat(receiver.waitFor(60, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();

            Process again = start(state, port);
            try {
                await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> banner(port).startsWith("SSH-2.0"));
                assertThat(Files.readAllBytes(state.resolve("ssh_host_key"))).as("the host key is kept").isEqualTo(hostKey);
            } finally {
                again.destroyForcibly().waitFor();
            }
        } finally {
            receiver.destroyForcibly().waitFor();
        }
    }
}
