package dev.pier.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SseReaderTest {

    @Test
    void parsesIdsNamesMultiLineDataAndHeartbeats() throws Exception {
        String stream = ": hello\n\nid: 1\ndata: {\"a\":1}\n\nevent: leader\nid:2\ndata:line one\ndata: line two\nretry: 5\n\n"
                + "data: no blank line at end";
        List<ServerSentEvent> events = new ArrayList<>();
        AtomicInteger heartbeats = new AtomicInteger();
        new SseReader(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)))
                .readAll(events::add, heartbeats::incrementAndGet);
        assertThat(events).containsExactly(new ServerSentEvent("1", null, "{\"a\":1}"),
                new ServerSentEvent("2", "leader", "line one\nline two"));
        assertThat(heartbeats).hasValue(1);
    }
}
