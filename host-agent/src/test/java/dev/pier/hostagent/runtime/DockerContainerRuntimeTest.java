package dev.pier.hostagent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import dev.pier.testkit.Command;
import dev.pier.testkit.DockerEngine;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The {@link ContainerRuntime} contract against the machine's real Docker engine. */
class DockerContainerRuntimeTest extends ContainerRuntimeContract {
    private static final String RUN = DockerEngine.newRunId();
    private static DockerClient docker;
    private static String image;

    @BeforeAll
    static void engine() {
        image = DockerEngine.testImage();
        docker = DockerContainerRuntime.client(DockerEngine.host());
    }

    @AfterAll
    static void cleanUp() throws Exception {
        DockerEngine.removeTestContainers(RUN);
        if (docker != null) {
            docker.close();
        }
    }

    @Test
    void appliesMemoryAndCpuLimitsThroughDocker() {
        ContainerRuntime runtime = runtime(newId("limits"));
        String job = newId("limited");
        runtime.start(new ContainerSpec(job, "shop", "r1", "web", image, List.of(), List.of("sleep", "30"), Map.of(),
                48L << 20, 0.5, null, null, false, false, runLabels()));

        String limits = Command.check(Duration.ofSeconds(30), List.of("docker", "inspect", "-f",
                "{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}}", "pier-" + runtime.hostId() + "-" + job)).strip();

        assertThat(limits).isEqualTo((48L << 20) + " 500000000");
        runtime.remove(job);
    }

    @Test
    void jobsResolveTheHostAsHostDockerInternal() {
        ContainerRuntime runtime = runtime(newId("hosts"));
        String job = newId("hosts");
        runtime.start(new ContainerSpec(job, "shop", "r1", "web", image, List.of(), List.of("sleep", "30"), Map.of(),
                null, null, null, null, false, false, runLabels()));

        String extraHosts = Command.check(Duration.ofSeconds(30), List.of("docker", "inspect", "-f",
                "{{.HostConfig.ExtraHosts}}", "pier-" + runtime.hostId() + "-" + job)).strip();
        String hostsFile = Command.check(Duration.ofSeconds(30), List.of("docker", "exec",
                "pier-" + runtime.hostId() + "-" + job, "cat", "/etc/hosts"));

        assertThat(extraHosts).contains(DockerContainerRuntime.HOST_ALIAS + ":host-gateway");
        assertThat(hostsFile).containsPattern("[0-9.]+\\s+" + DockerContainerRuntime.HOST_ALIAS.replace(".", "\\."));
        runtime.remove(job);
    }

    @Test
    void aCommandThatCannotRunIsToldFromRuncsExecOn() {
        assertThat(DockerContainerRuntime.execFailure("failed to create shim task: OCI runtime create failed: runc create "
                + "failed: unable to start container process: exec: \"nope\": executable file not found in $PATH: unknown"))
                .isEqualTo("exec: \"nope\": executable file not found in $PATH");
        assertThat(DockerContainerRuntime.execFailure("permission denied")).isEqualTo("permission denied");
    }

    @Override
    protected ContainerRuntime runtime(String hostId) {
        return new DockerContainerRuntime(docker, java.net.URI.create(DockerEngine.host()), hostId, "127.0.0.1");
    }

    @Override
    protected String image() {
        return image;
    }

    @Override
    protected Map<String, String> runLabels() {
        return Map.of(DockerEngine.TEST_LABEL, RUN);
    }
}
