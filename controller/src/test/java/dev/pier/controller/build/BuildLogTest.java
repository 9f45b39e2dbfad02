package dev.pier.controller.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.api.LogLine;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class BuildLogTest {
    private static LogLine line(String text) {
        return new LogLine(Instant.EPOCH, "shop", "build", "shop-build-1", "stdout", text);
    }

    @Test
    void aLateReaderGetsEveryLineFromTheFirstThenTheNewOnesUntilTheEnd() throws Exception {
        BuildLog log = new BuildLog();
        log.append(line("one"));
        List<String> read = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            try {
                log.read(true, l -> read.add(l.text()), () -> true, Duration.ofMillis(50), () -> { });
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> read.size() == 1);
        log.append(line("two"));
        log.append(line("three"));
        await().atMost(Duration.ofSeconds(10)).until(() -> read.size() == 3);
        assertThat(reader).isNotDone();
        log.end();
        reader.get();
        assertThat(read).containsExactly("one", "two", "three");
        log.append(line("after the end"));
        assertThat(log.lines()).hasSize(3);
    }

    @Test
    void withoutFollowAReaderGetsWhatThereIsAndAReaderThatLeftStops() throws Exception {
        BuildLog log = new BuildLog();
        log.append(line("one"));
        List<String> read = new CopyOnWriteArrayList<>();
        log.read(false, l -> read.add(l.text()), () -> true, Duration.ofMillis(50), () -> { });
        assertThat(read).containsExactly("one");

        AtomicBoolean open = new AtomicBoolean(true);
        List<Integer> beats = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> leaving = CompletableFuture.runAsync(() -> {
            try {
                log.read(true, l -> { }, open::get, Duration.ofMillis(20), () -> beats.add(1));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> beats.size() >= 2);
        open.set(false);
        leaving.get();
    }

    @Test
    void aBuildThatPrintsTooMuchIsCutAndSaysSo() {
        BuildLog log = new BuildLog();
        for (int i = 0; i < BuildLog.MAX_LINES + 10; i++) {
            log.append(line("line " + i));
        }
        assertThat(log.lines()).hasSize(BuildLog.MAX_LINES + 1);
        assertThat(log.lines().get(BuildLog.MAX_LINES).text()).contains("more than " + BuildLog.MAX_LINES + " lines");
    }
}
