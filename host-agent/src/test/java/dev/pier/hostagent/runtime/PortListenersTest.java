package dev.pier.hostagent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.hostagent.runtime.PortListeners.Binding;
import org.junit.jupiter.api.Test;

/** The socket tables as a container's {@code /proc/net/tcp} and {@code tcp6} printed them (busybox, Debian 12). */
class PortListenersTest {
    static final String TCP_HEADER = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid"
            + "  timeout inode\n";
    static final String TCP6_HEADER = "  sl  local_address                         remote_address                     "
            + "   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
    /** {@code httpd -p 127.0.0.1:9090}: port 0x2382 on 127.0.0.1 only. */
    static final String TCP_LOOPBACK_9090 = TCP_HEADER
            + "   0: 0100007F:2382 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 14839410 1 "
            + "00000000bceb672b 100 0 0 10 0\n";
    /** {@code nc -l -p 8080}: port 0x1F90 on every address (IPv6 and IPv4). */
    static final String TCP6_ANY_8080 = TCP6_HEADER
            + "   0: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 "
            + "00:00000000 00000000     0        0 14839411 1 000000000d4afb4c 100 0 0 10 0\n";

    @Test
    void aPortListenedOnEveryAddressIsListening() {
        assertThat(PortListeners.binding(8080, TCP_LOOPBACK_9090, TCP6_ANY_8080)).isEqualTo(Binding.LISTENING);
        String ipv4Any = TCP_HEADER + "   0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000"
                + "  1000        0 1 1 0 100 0 0 10 0\n";
        assertThat(PortListeners.binding(8080, ipv4Any, "")).isEqualTo(Binding.LISTENING);
        String ownAddress = TCP_HEADER + "   0: 0B00110A:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000"
                + "  1000        0 1 1 0 100 0 0 10 0\n"; // 10.17.0.11, as a job on a machine's own address
        assertThat(PortListeners.binding(8080, ownAddress, null)).isEqualTo(Binding.LISTENING);
    }

    @Test
    void aPortListenedOnLoopbackOnlyCannotBeReached() {
        assertThat(PortListeners.binding(9090, TCP_LOOPBACK_9090, TCP6_ANY_8080)).isEqualTo(Binding.LOOPBACK_ONLY);
        String ipv6Loopback = TCP6_HEADER + "   0: 00000000000000000000000001000000:1F90 "
                + "00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  0  0 1 1 0\n";
        assertThat(PortListeners.binding(8080, "", ipv6Loopback)).isEqualTo(Binding.LOOPBACK_ONLY);
        String mapped = TCP6_HEADER + "   0: 0000000000000000FFFF00000100007F:1F90 "
                + "00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  0  0 1 1 0\n";
        assertThat(PortListeners.binding(8080, "", mapped)).isEqualTo(Binding.LOOPBACK_ONLY);
        String ipv4Loopback = TCP_LOOPBACK_9090.replace("0100007F:2382", "0100007F:1F90");
        assertThat(PortListeners.binding(8080, ipv4Loopback, ipv6Loopback)).as("loopback on both")
                .isEqualTo(Binding.LOOPBACK_ONLY);
    }

    @Test
    void connectionsAndOtherPortsAreNotListening() {
        assertThat(PortListeners.binding(8081, TCP_LOOPBACK_9090, TCP6_ANY_8080)).isEqualTo(Binding.NOT_LISTENING);
        String established = TCP_HEADER + "   1: 0300110A:1F90 0100110A:B328 01 00000000:00000000 00:00000000 "
                + "00000000     0        0 2 1 0\n"; // an accepted connection on 8080 (state 01): the listener closed
        assertThat(PortListeners.binding(8080, established, "")).isEqualTo(Binding.NOT_LISTENING);
        assertThat(PortListeners.binding(8080, "", "")).isEqualTo(Binding.NOT_LISTENING);
        assertThat(PortListeners.binding(8080, TCP_HEADER, null)).isEqualTo(Binding.NOT_LISTENING);
    }

    @Test
    void loopbackAddressesAsTheTablesPrintThem() {
        assertThat(PortListeners.isLoopback("0100007F")).isTrue();
        assertThat(PortListeners.isLoopback("0101017F")).as("127.1.1.1").isTrue();
        assertThat(PortListeners.isLoopback("7F000001")).as("1.0.0.127").isFalse();
        assertThat(PortListeners.isLoopback("00000000")).isFalse();
        assertThat(PortListeners.isLoopback("00000000000000000000000001000000")).isTrue();
        assertThat(PortListeners.isLoopback("0000000000000000FFFF00000100007F")).isTrue();
        assertThat(PortListeners.isLoopback("0000000000000000FFFF00000B00110A")).isFalse();
        assertThat(PortListeners.isLoopback("00000000000000000000000000000000")).isFalse();
    }
}
