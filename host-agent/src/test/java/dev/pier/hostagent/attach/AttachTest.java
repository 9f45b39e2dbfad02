package dev.pier.hostagent.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.api.JobState;
import dev.pier.api.attach.AttachProtocol;
import dev.pier.api.attach.AttachSocket;
import dev.pier.api.host.HostAgentClient;
import dev.pier.api.host.HostJob;
import dev.pier.api.host.JobSpec;
import dev.pier.hostagent.RunningAgent;
import dev.pier.testkit.DockerEngine;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Interactive one-off jobs driven over the attach WebSocket as the controller does for {@code pier run}: the first
 * attach starts the job, so its output is all there, and the socket closes when the output ends.
 */
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

    /** What a socket received: output, and how it closed. */
    static final class Received implements AttachSocket.Handler {
        private final ByteArrayOutputStream output = new ByteArrayOutputStream();
        volatile Integer code;
        volatile String reason;

        @Override
        public synchronized void binary(byte[] bytes) {
            output.writeBytes(bytes);
        }

        @Override
        public void text(String message) {
        }

        @Override
        public void closed(int closeCode, String closeReason) {
            reason = closeReason;
            code = closeCode;
        }

        @Override
        public void failed(Throwable error) {
            reason = String.valueOf(error);
            code = -1;
        }

        synchronized String output() {
            return output.toString(StandardCharsets.UTF_8);
        }
    }

    private static String newId() {
        return "run-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static AttachSocket attach(HostAgentClient client, String id, Received received) throws Exception {
        return client.attach(id, received).get(10, TimeUnit.SECONDS);
    }

    @Test
    void echoesThroughATtyAndEndsWithTheShell() throws Exception {
        HostAgentClient client = agent.client();
        String id = newId();
        HostJob created = client.start(JobSpec.of(id, "shop", "run", DockerEngine.testImage(), List.of("sh"))
                .withTty(true, true));
        assertThat(created.state()).as("waits for its attach").isEqualTo(JobState.STARTING);
        Received received = new Received();
        AttachSocket socket = attach(client, id, received);
        await().atMost(WAIT).until(() -> client.job(id).state() == JobState.UP);
        socket.sendText(AttachProtocol.resizeMessage(120, 40));
        socket.sendBinary("stty size; echo sum=$((20+22))\n".getBytes(StandardCharsets.UTF_8));

        await().atMost(WAIT).until(() -> received.output().contains("sum=42"));
        assertThat(received.output()).contains("echo sum=$((20+22))").contains("40 120");

        socket.sendBinary("exit 0\n".getBytes(StandardCharsets.UTF_8));
        await().atMost(WAIT).until(() -> received.code != null);
        assertThat(received.code).as(received.reason).isEqualTo(AttachProtocol.NORMAL);
        assertThat(await().atMost(WAIT).until(() -> client.job(id), j -> j.state().isTerminal()).state())
                .isEqualTo(JobState.DOWN);
    }

    @Test
    void aJobStartedByItsAttachLosesNoOutputEvenWhenItEndsAtOnce() throws Exception {
        HostAgentClient client = agent.client();
        String id = newId();
        client.start(JobSpec.of(id, "shop", "run", DockerEngine.testImage(), List.of("sh", "-c", "echo hi; exit 3"))
                .withTty(false, true));
        Received received = new Received();
        attach(client, id, received);
        await().atMost(WAIT).until(() -> received.code != null);
        assertThat(received.code).as(received.reason).isEqualTo(AttachProtocol.NORMAL);
        assertThat(received.output()).isEqualTo("hi\n");
        HostJob ended = await().atMost(WAIT).until(() -> client.job(id), j -> j.state().isTerminal());
        assertThat(ended.state()).isEqualTo(JobState.CRASHED);
        assertThat(ended.exitStatus()).isEqualTo(3);
    }

    @Test
    void theEndOfTheClientsInputClosesTheJobsStdin() throws Exception {
        HostAgentClient client = agent.client();
        String id = newId();
        client.start(JobSpec.of(id, "shop", "run", DockerEngine.testImage(), List.of("sh", "-c", "cat; echo done"))
                .withTty(false, true));
        Received received = new Received();
        AttachSocket socket = attach(client, id, received);
        socket.sendBinary("line one\nline two".getBytes(StandardCharsets.UTF_8));
        socket.sendText(AttachProtocol.END_OF_INPUT);
        await().atMost(WAIT).until(() -> received.code != null);
        assertThat(received.code).as(received.reason).isEqualTo(AttachProtocol.NORMAL);
        assertThat(received.output()).isEqualTo("line one\nline twodone\n");
        HostJob ended = await().atMost(WAIT).until(() -> client.job(id), j -> j.state().isTerminal());
        assertThat(ended.state()).isEqualTo(JobState.DOWN);
        assertThat(ended.exitStatus()).isZero();
    }

    @Test
    void refusesUnknownJobsJobsNotInteractiveAndCommandsThatCannotRun() throws Exception {
        HostAgentClient client = agent.client();
        Received unknown = new Received();
        attach(client, "no-such-job", unknown);
        await().atMost(WAIT).until(() -> unknown.code != null);
        assertThat(unknown.code).isEqualTo(AttachProtocol.NOT_FOUND);
        assertThat(unknown.reason).contains("no job no-such-job");

        String plain = newId();
        client.start(JobSpec.of(plain, "shop", "run", DockerEngine.testImage(), List.of("sleep", "30")));
        Received notInteractive = new Received();
        attach(client, plain, notInteractive);
        await().atMost(WAIT).until(() -> notInteractive.code != null);
        assertThat(notInteractive.code).isEqualTo(AttachProtocol.CONFLICT);
        assertThat(notInteractive.reason).contains("was not started interactive");
        client.stop(plain);

        String bad = newId();
        client.start(JobSpec.of(bad, "shop", "run", DockerEngine.testImage(), List.of("no-such-program"))
                .withTty(false, true));
        Received cannotRun = new Received();
        attach(client, bad, cannotRun);
        await().atMost(WAIT).until(() -> cannotRun.code != null);
        assertThat(cannotRun.code).isEqualTo(AttachProtocol.CONFLICT);
        assertThat(cannotRun.reason).contains("no-such-program");
        HostJob failed = client.job(bad);
        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.reason()).contains("cannot run the command");
    }

    @Test
    void aJobNobodyAttachesToFailsAndOneStoppedFirstEndsDown() throws Exception {
        RunningAgent impatient = RunningAgent.start(RunningAgent.newHostId(),
                Map.of("pier.host-agent.attach-timeout", "1s"));
        try {
            HostAgentClient client = impatient.client();
            String id = newId();
            client.start(JobSpec.of(id, "shop", "run", DockerEngine.testImage(), List.of("sh")).withTty(true, true));
            HostJob failed = await().atMost(WAIT).until(() -> client.job(id), j -> j.state().isTerminal());
            assertThat(failed.state()).isEqualTo(JobState.FAILED);
            assertThat(failed.reason()).isEqualTo("nobody attached within 1 s");
        } finally {
            impatient.close();
            impatient.removeContainers();
        }
        HostAgentClient client = agent.client();
        String stopped = newId();
        client.start(JobSpec.of(stopped, "shop", "run", DockerEngine.testImage(), List.of("sh")).withTty(true, true));
        assertThat(client.stop(stopped).state()).isEqualTo(JobState.DOWN);
        assertThat(client.job(stopped).reason()).isEqualTo("stopped before anyone attached");
    }
}
