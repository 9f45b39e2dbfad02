package dev.pier.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.metrics.MetricsPoint;
import dev.pier.api.metrics.ProcessFigures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsHistoryTest {
    private static final ProcessFigures WEB = new ProcessFigures(1.0, 0.0, 0.01, 0.02, 0.03, 1L, 0.1, 1);

    @Test
    void keepsTheLastRetentionOfEachAppAndAnswersPointsAfterSince() {
        MetricsHistory history = new MetricsHistory(Duration.ofSeconds(30));
        Instant t0 = Instant.parse("2026-12-05T10:00:00Z");
        List<String> heard = new ArrayList<>();
        Runnable stop = history.listen((app, point) -> heard.add(app + "@" + point.at().getEpochSecond() % 100));
        for (int i = 0; i <= 5; i++) {
            history.add(t0.plusSeconds(10L * i), Map.of("shop", Map.of("web", WEB)));
        }
        history.add(t0.plusSeconds(50), Map.of("blog", Map.of("web", WEB)));
        assertThat(history.points("shop", null)).extracting(MetricsPoint::at)
                .containsExactly(t0.plusSeconds(20), t0.plusSeconds(30), t0.plusSeconds(40), t0.plusSeconds(50));
        assertThat(history.points("shop", t0.plusSeconds(35))).extracting(MetricsPoint::at)
                .containsExactly(t0.plusSeconds(40), t0.plusSeconds(50));
        assertThat(history.points("nosuch", null)).isEmpty();
        assertThat(heard).hasSize(7).last().isEqualTo("blog@50");

        stop.run();
        history.add(t0.plusSeconds(100), Map.of("blog", Map.of("web", WEB)));
        assertThat(heard).hasSize(7);
        assertThat(history.points("shop", null)).as("every shop point is too old").isEmpty();
    }
}
