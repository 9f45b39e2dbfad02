package dev.pier.controller.metrics;

import dev.pier.api.metrics.PrometheusText.Sample;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one scrape of one service gave, reduced to what the app figures need: per app process type the router's
 * counters, and per job the agent's CPU and memory. Pure.
 *
 * @param routed per (app, process type): requests, 5xx and the duration histogram's cumulative buckets
 * @param jobs   per job id: its app, process type, CPU seconds (a counter) and memory
 */
record Reading(Map<AppProcess, RouterCounters> routed, Map<String, JobReading> jobs) {

    /** An app's process type. */
    record AppProcess(String app, String processType) {
    }

    /** A router's counters for one app process type (all cumulative). */
    record RouterCounters(double requests, double errors, TreeMap<Double, Double> buckets) {
    }

    record JobReading(AppProcess of, double cpuSeconds, double memoryBytes) {
    }

    static Reading of(List<Sample> samples) {
        Map<AppProcess, double[]> counts = new HashMap<>();
        Map<AppProcess, TreeMap<Double, Double>> buckets = new HashMap<>();
        Map<String, double[]> jobValues = new HashMap<>();
        Map<String, AppProcess> jobOf = new HashMap<>();
        for (Sample s : samples) {
            switch (s.name()) {
                case "pier_router_requests_total" -> {
                    if (s.label("app").isEmpty()) {
                        continue; // requests no route matched
                    }
                    double[] c = counts.computeIfAbsent(key(s), k -> new double[2]);
                    c[0] += s.value();
                    if (s.label("status_class").equals("5xx")) {
                        c[1] += s.value();
                    }
                }
                case "pier_router_request_duration_seconds_bucket" -> {
                    if (!s.label("app").isEmpty()) {
                        buckets.computeIfAbsent(key(s), k -> new TreeMap<>()).merge(le(s.label("le")), s.value(),
                                Double::sum);
                    }
                }
                case "pier_job_cpu_seconds_total", "pier_job_memory_bytes" -> {
                    String job = s.label("job");
                    if (job.isEmpty() || s.label("app").isEmpty()) {
                        continue;
                    }
                    jobOf.put(job, key(s));
                    double[] v = jobValues.computeIfAbsent(job, k -> new double[] {Double.NaN, Double.NaN});
                    v[s.name().equals("pier_job_cpu_seconds_total") ? 0 : 1] = s.value();
                }
                default -> {
                }
            }
        }
        Map<AppProcess, RouterCounters> routed = new HashMap<>();
        counts.forEach((k, c) -> routed.put(k, new RouterCounters(c[0], c[1], buckets.getOrDefault(k, new TreeMap<>()))));
        buckets.forEach((k, b) -> routed.putIfAbsent(k, new RouterCounters(0, 0, b)));
        Map<String, JobReading> jobs = new HashMap<>();
        jobValues.forEach((job, v) -> jobs.put(job, new JobReading(jobOf.get(job), v[0], v[1])));
        return new Reading(Map.copyOf(routed), Map.copyOf(jobs));
    }

    private static AppProcess key(Sample s) {
        return new AppProcess(s.label("app"), s.label("process_type"));
    }

    private static double le(String le) {
        return le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
    }
}
