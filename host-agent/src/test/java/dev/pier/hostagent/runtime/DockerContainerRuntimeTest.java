package dev.pier.hostagent.runtime;

import com.github.dockerjava.api.DockerClient;
import dev.pier.testkit.DockerEngine;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

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

    @Override
    protected ContainerRuntime runtime(String hostId) {
        return new DockerContainerRuntime(docker, hostId, "127.0.0.1");
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
