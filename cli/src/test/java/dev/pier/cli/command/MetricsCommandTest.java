package dev.pier.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.metrics.AppMetrics;
import dev.pier.api.metrics.MetricsPoint;
import dev.pier.api.metrics.ProcessFigures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsCommandTest {

    @Test
    void aTablePerProcessTypeWithDashesForWhatIsNotMeasured() {
        MetricsPoint point = new MetricsPoint(Instant.parse("2026-12-05T10:00:10Z"), Map.of(
                "web", new ProcessFigures(12.345, 0.5, 0.0042, 0.0123, 0.25, 52L * 1024 * 1024, 0.031, 2),
                "worker", new ProcessFigures(null, null, null, null, null, 3L * 1024 * 1024 * 1024, 1.5, 1)));
        StringWriter text = new StringWriter();
        MetricsCommand.print(new PrintWriter(text), new AppMetrics("shop", 10, 3600, List.of(point)), point);
        assertThat(text.toString()).isEqualTo("""
                === shop over the 10 s to 2026-12-05T10:00:10Z
                TYPE    REQ/S  P50     P95    P99     5XX/S  MEMORY  CPU   JOBS
                web     12.3   4.2 ms  12 ms  250 ms  0.50   52 MB   3%    2
                worker  -      -       -      -       -      3.0 GB  150%  1
                """);
    }

    @Test
    void noPointYetSaysWhy() {
        StringWriter text = new StringWriter();
        MetricsCommand.print(new PrintWriter(text), new AppMetrics("shop", 10, 3600, List.of()), null);
        assertThat(text.toString()).startsWith("No figures for shop yet: the controller samples the routers and host "
                + "agents every 10 s");
    }
}
