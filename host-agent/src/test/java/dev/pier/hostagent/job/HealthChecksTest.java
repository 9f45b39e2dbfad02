package dev.pier.hostagent.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.host.JobSpec;
import dev.pier.hostagent.runtime.PortListeners;
import dev.pier.testkit.FreePorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A starting job's checks, with the socket tables given and real sockets on the loopback as the published port: a
 * job that never passes ends with what its last look found, the words its crash reason ends with.
 */
class HealthChecksTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration GRACE = Duration.ofSeconds(1);
    private final JobTable table = new JobTable("h1", "http://127.0.0.1:8320", "127.0.0.1", new PortRange(20000, 20002),
            512);
    private final List<String> verdicts = new ArrayList<>();

    private HealthChecks checks(PortListeners.Binding binding) {
        return new HealthChecks(new HealthProbe(), (job, port) -> binding, "127.0.0.1", GRACE, Duration.ofSeconds(5),
                Runnable::run, new HealthChecks.Verdicts() {
                    @Override
                    public void passed(String jobId) {
                        verdicts.add(jobId + " passed");
                    }

                    @Override
                    public void neverPassed(String jobId, Duration timeout, String finding) {
                        verdicts.add(jobId + " never passed within " + timeout.toSeconds() + " s: " + finding);
                    }

                    @Override
                    public void failedWhileUp(String jobId) {
                        verdicts.add(jobId + " failed while up");
                    }
                });
    }

    /** A web job on port 8000 started at T0, its port published on {@code hostPort} of the loopback. */
    private JobTable.Entry startedWeb(String id, int hostPort) {
        JobTable.Entry admitted = table.admit(JobSpec.of(id, "shop", "web", "img", List.of("serve")).withPort(8000)
                .withMemoryMb(64), T0, port -> true);
        return new JobTable.Entry(admitted.spec(), admitted.job(), hostPort, true, T0, false);
    }

    @Test
    void anAppThatListensBehindAPublishedPortThatRefusesIsToldApartFromOneThatDoesNotListen() {
        int refusing = FreePorts.next();

        checks(PortListeners.Binding.LISTENING).checkStarting(List.of(startedWeb("listens", refusing)),
                T0.plusSeconds(2));
        checks(PortListeners.Binding.NOT_LISTENING).checkStarting(List.of(startedWeb("silent", refusing)),
                T0.plusSeconds(2));

        assertThat(verdicts).containsExactly(
                "listens never passed within 1 s: the app listens on port 8000, but a connection to 127.0.0.1:"
                        + refusing + " failed (Connection refused)",
                "silent never passed within 1 s: nothing in its container listens on port 8000 (the app must listen "
                        + "on $PORT)");
    }

    @Test
    void aStartingJobIsNotJudgedBeforeItsGraceAndPassesOnceItsPortServes() throws IOException {
        try (ServerSocket serving = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture.runAsync(() -> acceptAndHold(serving));
            HealthChecks checks = checks(PortListeners.Binding.LISTENING);

            checks.checkStarting(List.of(startedWeb("early", FreePorts.next())), T0.plusMillis(500));
            checks.checkStarting(List.of(startedWeb("serves", serving.getLocalPort())), T0.plusSeconds(2));
        }

        assertThat(verdicts).as("the refused one is within its grace: no verdict").containsExactly("serves passed");
    }

    @Test
    void whereTheRuntimeCannotTellAConnectionClosedAtOnceIsWhatIsReported() throws IOException {
        try (ServerSocket closing = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture.runAsync(() -> acceptAndClose(closing));

            checks(PortListeners.Binding.UNKNOWN).checkStarting(List.of(startedWeb("proxied", closing.getLocalPort())),
                    T0.plusSeconds(2));

            assertThat(verdicts).containsExactly("proxied never passed within 1 s: a connection to 127.0.0.1:"
                    + closing.getLocalPort() + " was closed at once");
        }
    }

    private static void acceptAndHold(ServerSocket server) {
        try {
            Socket held = server.accept();
            CompletableFuture.delayedExecutor(5, java.util.concurrent.TimeUnit.SECONDS).execute(() -> {
                try {
                    held.close();
                } catch (IOException e) {
                    // the test is over
                }
            });
        } catch (IOException e) {
            // the test is over
        }
    }

    private static void acceptAndClose(ServerSocket server) {
        try {
            server.accept().close();
        } catch (IOException e) {
            // the test is over
        }
    }
}
