package dev.pier.hostagent.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.api.JobState;
import dev.pier.api.host.HostAgentClient;
import dev.pier.api.host.JobSpec;
import dev.pier.hostagent.RunningAgent;
import dev.pier.testkit.DockerEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An interactive one-off job with a TTY, driven over the attach WebSocket as {@code pier run sh} would. */
class AttachTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static RunningAgent agent;

    @BeforeAll
    static void startAgent() {
        DockerEngine.testImage();
        agent = RunningAgent.start(RunningAgent.newHostId());
    }

    @AfterAll
    static void stopAgent() {
        if (agent != null) {
            try {
                agent.close();
            } finally {
                agent.removeContainers();
            }
        }
    }

    @Test
    void echoesThroughATtyAndEndsWithTheShell() throws Exception {
        HostAgentClient client = agent.client();
        String id = "run-" + UUID.randomUUID().toString().substring(0, 8);
        client.start(JobSpec.of(id, "shop", "run", DockerEngine.testImage(), List.of("sh")).withTty(true, true));
        await().atMost(WAIT).until(() -> client.job(id).state() == JobState.UP);
        StringBuffer output = new StringBuffer();
        AtomicBoolean closed = new AtomicBoolean();

        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", "Bearer " + RunningAgent.KEY)
                .buildAsync(client.attachUri(id),
                        new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                                byte[] bytes = new byte[data.remaining()];
                                data.get(bytes);
                                output.append(new String(bytes, StandardCharsets.UTF_8));
                                ws.request(1);
                                return null;
                            }

                            @Override
                            public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
                                closed.set(true);
                                return null;
                            }
                        }).get(10, TimeUnit.SECONDS);
        socket.sendText("{\"resize\":{\"columns\":120,\"rows\":40}}", true).get(5, TimeUnit.SECONDS);
        socket.sendBinary(ByteBuffer.wrap("stty size; echo sum=$((20+22))\n".getBytes(StandardCharsets.UTF_8)), true)
                .get(5, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> output.toString().contains("sum=42"));
        assertThat(output.toString()).contains("echo sum=$((20+22))").contains("40 120");

        socket.sendBinary(ByteBuffer.wrap("exit 0\n".getBytes(StandardCharsets.UTF_8)), true).get(5, TimeUnit.SECONDS);
        await().atMost(WAIT).untilTrue(closed);
        assertThat(await().atMost(WAIT).until(() -> client.job(id), j -> j.state().isTerminal()).state())
                .isEqualTo(JobState.DOWN);
    }
}
