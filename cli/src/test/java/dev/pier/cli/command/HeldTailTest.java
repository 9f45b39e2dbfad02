package dev.pier.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeldTailTest {
    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void passesEverythingThroughButTheLastBytesUntilReleased() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HeldTail tail = new HeldTail(out, 4);
        tail.write(bytes("ab"), 0, 2);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        tail.write(bytes("cdef"), 0, 4);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("ab");
        tail.write(bytes("0123456789"), 0, 10);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("abcdef012345");
        tail.write('x');
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("abcdef0123456");
        tail.release();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("abcdef0123456789x");
    }

    @Test
    void aFailureMessageAfterTheMarkerIsTakenOutOfTheStream() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HeldTail tail = new HeldTail(out, 128); // the marker and the message fit in what is held
        String streamed = "PGDMP partial" + PgCommand.DUMP_FAILED + "pg_dump: error: connection failed\n";
        for (byte b : bytes(streamed)) {
            tail.write(b);
        }
        assertThat(tail.releaseUpTo(PgCommand.DUMP_FAILED)).isEqualTo("pg_dump: error: connection failed");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("PGDMP partial");
    }

    @Test
    void withoutTheMarkerEverythingHeldIsWritten() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HeldTail tail = new HeldTail(out, 64);
        tail.write(bytes("killed midway"), 0, 13);
        assertThat(tail.releaseUpTo(PgCommand.DUMP_FAILED)).isEmpty();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("killed midway");
    }
}
