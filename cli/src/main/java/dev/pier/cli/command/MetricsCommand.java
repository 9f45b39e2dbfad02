package dev.pier.cli.command;

import dev.pier.api.metrics.AppMetrics;
import dev.pier.api.metrics.MetricsPoint;
import dev.pier.api.metrics.ProcessFigures;
import dev.pier.cli.Table;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "metrics", description = "Show the app's current figures per process type: requests, latency, errors, "
        + "memory and CPU (sampled by the controller from the routers and host agents).")
public class MetricsCommand extends PierCommand {
    @Option(names = {"-w", "--watch"}, description = "print a new table whenever the controller samples (Ctrl-C stops)")
    boolean watch;
    @Option(names = "--json", description = "print JSON (every point the controller keeps)")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
        AppMetrics metrics = client().appMetrics(app(), null);
        if (json) {
            printJson(metrics);
            return 0;
        }
        MetricsPoint last = metrics.points().isEmpty() ? null : metrics.points().get(metrics.points().size() - 1);
        print(out(), metrics, last);
        while (watch) {
            Thread.sleep(Math.max(1, metrics.resolutionSeconds()) * 1000L / 2);
            AppMetrics newer = client().appMetrics(app(), last == null ? null : last.at());
            if (!newer.points().isEmpty()) {
                last = newer.points().get(newer.points().size() - 1);
                out().println();
                print(out(), newer, last);
            }
        }
        return 0;
    }

    static void print(PrintWriter out, AppMetrics metrics, MetricsPoint point) {
        if (point == null) {
            out.println("No figures for " + metrics.app() + " yet: the controller samples the routers and host agents "
                    + "every " + metrics.resolutionSeconds() + " s and needs two samples.");
            out.flush();
            return;
        }
        out.println("=== " + metrics.app() + " over the " + metrics.resolutionSeconds() + " s to " + point.at());
        table(point).print(out);
    }

    static Table table(MetricsPoint point) {
        Table table = new Table("TYPE", "REQ/S", "P50", "P95", "P99", "5XX/S", "MEMORY", "CPU", "JOBS");
        point.processes().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey()).forEach(e -> {
            ProcessFigures f = e.getValue();
            table.row(e.getKey(), rate(f.requestsPerSecond()), millis(f.p50Seconds()), millis(f.p95Seconds()),
                    millis(f.p99Seconds()), rate(f.errorsPerSecond()), bytes(f.memoryBytes()), percent(f.cpuCores()),
                    f.jobs() == null ? "-" : f.jobs());
        });
        return table;
    }

    static String rate(Double perSecond) {
        return perSecond == null ? "-" : String.format(Locale.ROOT, perSecond < 10 ? "%.2f" : "%.1f", perSecond);
    }

    static String millis(Double seconds) {
        if (seconds == null) {
            return "-";
        }
        double ms = seconds * 1000;
        return String.format(Locale.ROOT, ms < 10 ? "%.1f ms" : "%.0f ms", ms);
    }

    static String bytes(Long bytes) {
        if (bytes == null) {
            return "-";
        }
        double mb = bytes / (1024.0 * 1024);
        return mb >= 1024 ? String.format(Locale.ROOT, "%.1f GB", mb / 1024) : String.format(Locale.ROOT, "%.0f MB", mb);
    }

    static String percent(Double cores) {
        return cores == null ? "-" : String.format(Locale.ROOT, "%.0f%%", cores * 100);
    }
}
