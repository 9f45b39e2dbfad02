package dev.pier.controller.metrics;

import dev.pier.api.metrics.ProcessFigures;
import dev.pier.controller.metrics.Reading.AppProcess;
import dev.pier.controller.metrics.Reading.JobReading;
import dev.pier.controller.metrics.Reading.RouterCounters;
import java.util.HashMap;
import java.util.Map;
import java.util.Map.Entry;
import java.util.TreeMap;

/**
 * The figures of every app process type over one interval, from two rounds of readings of the same services
 * (keyed by the service's address): rates from counter deltas (a counter that went down was reset: its new value
 * is the delta, as Prometheus' {@code rate} takes it), latency quantiles from the duration histogram's bucket
 * deltas (interpolated within a bucket, as {@code histogram_quantile} does), memory as the sum of the jobs' last
 * readings and CPU as the sum of each job's CPU delta. Pure.
 */
final class AppFigures {
    private AppFigures() {
    }

    /** Per app, per process type: the figures of the {@code seconds} between {@code before} and {@code now}. */
    static Map<String, Map<String, ProcessFigures>> between(Map<String, Reading> before, Map<String, Reading> now,
            double seconds) {
        Map<AppProcess, double[]> rates = new HashMap<>(); // requests, errors
        Map<AppProcess, TreeMap<Double, Double>> buckets = new HashMap<>();
        Map<AppProcess, double[]> usage = new HashMap<>(); // memory, cpu seconds, jobs, jobs with a cpu delta
        for (Entry<String, Reading> target : now.entrySet()) {
            Reading previous = before.get(target.getKey());
            for (Entry<AppProcess, RouterCounters> e : target.getValue().routed().entrySet()) {
                RouterCounters was = previous == null ? null : previous.routed().get(e.getKey());
                RouterCounters is = e.getValue();
                double[] r = rates.computeIfAbsent(e.getKey(), k -> new double[2]);
                if (was == null) {
                    continue; // no earlier reading of this target: a delta needs two
                }
                r[0] += delta(was.requests(), is.requests());
                r[1] += delta(was.errors(), is.errors());
                TreeMap<Double, Double> b = buckets.computeIfAbsent(e.getKey(), k -> new TreeMap<>());
                is.buckets().forEach((le, count) -> b.merge(le, delta(was.buckets().getOrDefault(le, 0.0), count),
                        Double::sum));
            }
            for (Entry<String, JobReading> e : target.getValue().jobs().entrySet()) {
                JobReading job = e.getValue();
                double[] u = usage.computeIfAbsent(job.of(), k -> new double[4]);
                if (!Double.isNaN(job.memoryBytes())) {
                    u[0] += job.memoryBytes();
                }
                u[2]++;
                JobReading was = previous == null ? null : previous.jobs().get(e.getKey());
                if (was != null && !Double.isNaN(was.cpuSeconds()) && !Double.isNaN(job.cpuSeconds())) {
                    u[1] += delta(was.cpuSeconds(), job.cpuSeconds());
                    u[3]++;
                }
            }
        }
        Map<String, Map<String, ProcessFigures>> figures = new TreeMap<>();
        java.util.Set<AppProcess> keys = new java.util.HashSet<>(rates.keySet());
        keys.addAll(usage.keySet());
        for (AppProcess key : keys) {
            double[] r = rates.get(key);
            TreeMap<Double, Double> b = buckets.get(key);
            double[] u = usage.get(key);
            boolean routed = r != null && b != null;
            ProcessFigures f = new ProcessFigures(
                    routed ? r[0] / seconds : null,
                    routed ? r[1] / seconds : null,
                    routed ? quantile(0.50, b) : null,
                    routed ? quantile(0.95, b) : null,
                    routed ? quantile(0.99, b) : null,
                    u == null ? null : (long) u[0],
                    u == null || u[3] == 0 ? null : u[1] / seconds,
                    u == null ? null : (int) u[2]);
            figures.computeIfAbsent(key.app(), a -> new TreeMap<>()).put(key.processType(), f);
        }
        return figures;
    }

    private static double delta(double was, double is) {
        return is >= was ? is - was : is;
    }

    /**
     * The {@code q} quantile of a histogram given as cumulative counts per upper bound (the last bound +Inf):
     * null without observations; within a bucket, linear between its bounds (the first bucket starts at 0); in the
     * +Inf bucket, the largest finite bound.
     */
    static Double quantile(double q, TreeMap<Double, Double> cumulative) {
        if (cumulative.isEmpty()) {
            return null;
        }
        double total = cumulative.lastEntry().getValue();
        if (!(total > 0)) {
            return null;
        }
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Entry<Double, Double> bucket : cumulative.entrySet()) {
            double bound = bucket.getKey();
            double count = bucket.getValue();
            if (count >= rank) {
                if (Double.isInfinite(bound)) {
                    return lowerBound;
                }
                double inBucket = count - lowerCount;
                return inBucket <= 0 ? bound : lowerBound + (bound - lowerBound) * (rank - lowerCount) / inBucket;
            }
            lowerBound = Double.isInfinite(bound) ? lowerBound : bound;
            lowerCount = count;
        }
        return lowerBound;
    }
}
