package dev.pier.controller.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The controller's own series in {@code /metrics}, read from PostgreSQL at scrape time (so they survive restarts
 * and agree between controllers):
 * <ul>
 *   <li>{@code pier_controller_deployments_total{outcome}}: finished deployments by their status
 *       ({@code complete}, {@code failed}, ...); {@code pier_controller_deployments_active}: pending or running;</li>
 *   <li>{@code pier_controller_deployment_duration_seconds}: a summary (sum, count) of finished deployments;</li>
 *   <li>{@code pier_controller_builds_total{outcome=succeeded|failed}} and
 *       {@code pier_controller_build_duration_seconds} (sum, count): finished builds by their state, and from
 *       their start to their end.</li>
 * </ul>
 */
public final class ControllerMetrics implements MultiCollector {
    private final JdbcTemplate jdbc;

    public ControllerMetrics(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    private record Row(String label, long count, double seconds) {
    }

    @Override
    public MetricSnapshots collect() {
        List<Row> deployments = jdbc.query("SELECT status, count(*), coalesce(sum(extract(epoch FROM "
                + "finished_at - coalesce(started_at, created_at))), 0) FROM deployments GROUP BY status ORDER BY status",
                (rs, n) -> new Row(rs.getString(1), rs.getLong(2), rs.getDouble(3)));
        List<Row> builds = jdbc.query("SELECT state, count(*), coalesce(sum(extract(epoch FROM "
                + "finished_at - created_at)), 0) FROM builds WHERE state IN ('succeeded', 'failed') "
                + "GROUP BY state ORDER BY state",
                (rs, n) -> new Row(rs.getString(1), rs.getLong(2), rs.getDouble(3)));
        CounterSnapshot.Builder finished = CounterSnapshot.builder().name("pier_controller_deployments")
                .help("Finished deployments, by outcome.");
        long active = 0;
        long finishedCount = 0;
        double finishedSeconds = 0;
        // every outcome is there from the start, at 0, so rates over it need no special case
        java.util.Map<String, Long> outcomes = new java.util.TreeMap<>(java.util.Map.of("complete", 0L, "failed", 0L));
        for (Row row : deployments) {
            if (row.label().equals("pending") || row.label().equals("running")) {
                active += row.count();
                continue;
            }
            outcomes.put(row.label(), row.count());
            finishedCount += row.count();
            finishedSeconds += row.seconds();
        }
        outcomes.forEach((outcome, n) -> finished.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                .value(n).labels(Labels.of("outcome", outcome)).build()));
        CounterSnapshot.Builder buildCounts = CounterSnapshot.builder().name("pier_controller_builds")
                .help("Finished builds, by outcome.");
        long buildCount = 0;
        double buildSeconds = 0;
        java.util.Map<String, Long> buildOutcomes = new java.util.TreeMap<>(
                java.util.Map.of("succeeded", 0L, "failed", 0L));
        for (Row row : builds) {
            buildOutcomes.put(row.label(), row.count());
            buildCount += row.count();
            buildSeconds += row.seconds();
        }
        buildOutcomes.forEach((outcome, n) -> buildCounts.dataPoint(CounterSnapshot.CounterDataPointSnapshot
                .builder().value(n).labels(Labels.of("outcome", outcome)).build()));
        return MetricSnapshots.of(finished.build(),
                GaugeSnapshot.builder().name("pier_controller_deployments_active")
                        .help("Deployments pending or running.")
                        .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(active).build()).build(),
                summary("pier_controller_deployment_duration_seconds", "Time finished deployments took.",
                        finishedCount, finishedSeconds),
                buildCounts.build(),
                summary("pier_controller_build_duration_seconds", "Time finished builds took.", buildCount,
                        buildSeconds));
    }

    private static SummarySnapshot summary(String name, String help, long count, double sum) {
        return SummarySnapshot.builder().name(name).help(help)
                .dataPoint(SummarySnapshot.SummaryDataPointSnapshot.builder().count(count).sum(sum).build()).build();
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.of("pier_controller_deployments", "pier_controller_deployments_active",
                "pier_controller_deployment_duration_seconds", "pier_controller_builds",
                "pier_controller_build_duration_seconds");
    }
}
