package dev.pier.hostagent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Real sockets on 127.0.0.1: what the host leader's probe makes of an agent that listens, and of one that does not. */
class TcpHostProbeTest {
    private final TcpHostProbe probe = new TcpHostProbe(Duration.ofSeconds(1));

    @Test
    void anAgentThatListensButNeverAnswersCountsAsAnsweringAsASlowOrPausedAgentWould() throws Exception {
        try (ServerSocket stalled = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            // nothing ever calls accept(): the kernel completes the connection, as for a paused JVM
            assertThat(probe.reach("http://127.0.0.1:" + stalled.getLocalPort())).isEqualTo(HostProbe.Reach.ANSWERS);
        }
    }

    @Test
    void aMachineWhosePortNobodyListensOnRefusesWhichIsNotUnreachable() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        assertThat(probe.reach("http://127.0.0.1:" + port)).isEqualTo(HostProbe.Reach.REFUSED);
    }

    @Test
    void aUrlThatNamesNoHostIsUnknownNotUnreachable() {
        assertThat(probe.reach("not a url")).isEqualTo(HostProbe.Reach.UNKNOWN);
        assertThat(probe.reach("http:///path")).isEqualTo(HostProbe.Reach.UNKNOWN);
        assertThat(probe.reach("http://no-such-host.invalid:8320")).isEqualTo(HostProbe.Reach.UNKNOWN);
    }
}
