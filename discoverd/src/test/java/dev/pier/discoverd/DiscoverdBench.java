package dev.pier.discoverd;

import dev.pier.api.discoverd.Candidacy;
import dev.pier.api.discoverd.DiscoverdClient;
import dev.pier.api.discoverd.Election;
import dev.pier.api.discoverd.Instance;
import dev.pier.api.discoverd.NewInstance;
import dev.pier.api.discoverd.ServiceEvent;
import dev.pier.api.discoverd.Watch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The discoverd benchmark behind {@code bench/discoverd/run}: a real etcd and discoverd on free loopback ports,
 * then registrations/s, register-to-watcher latency and owner-death-to-down time. Prints a table. Not a test.
 */
public final class DiscoverdBench {
    private DiscoverdBench() {
    }

    public static void main(String[] args) throws Exception {
        int registrations = Integer.parseInt(System.getProperty("bench.registrations", "1000"));
        int threads = Integer.parseInt(System.getProperty("bench.threads", "8"));
        int latencySamples = Integer.parseInt(System.getProperty("bench.latency-samples", "300"));
        int deaths = Integer.parseInt(System.getProperty("bench.deaths", "10"));
        int ttl = Integer.parseInt(System.getProperty("bench.ttl", "5"));
        List<String[]> rows = new ArrayList<>();
        try (RunningDiscoverd discoverd = RunningDiscoverd.start();
             DiscoverdClient client = discoverd.client()) {
            // warm-up: JIT, connections, etcd
            for (int i = 0; i < 200; i++) {
                client.put("warmup", "w-" + i, new NewInstance("127.0.0.1:" + (20000 + i), Map.of(), 60));
            }

            // 1. registrations per second, sequential then concurrent
            long start = System.nanoTime();
            for (int i = 0; i < registrations; i++) {
                client.put("bench-seq", "i-" + i, new NewInstance("127.0.0.1:" + (20000 + i % 40000), Map.of(), 60));
            }
            double seq = registrations / seconds(System.nanoTime() - start);
            rows.add(new String[] {"registrations/s (1 client, sequential)", String.format("%.0f", seq),
                    registrations + " new instances"});

            ExecutorService pool = Executors.newFixedThreadPool(threads);
            start = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = thread; i < registrations; i += threads) {
                        client.put("bench-par", "i-" + i, new NewInstance("127.0.0.1:" + (20000 + i % 40000),
                                Map.of(), 60));
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get(5, TimeUnit.MINUTES);
            }
            double par = registrations / seconds(System.nanoTime() - start);
            pool.shutdownNow();
            rows.add(new String[] {"registrations/s (" + threads + " threads)", String.format("%.0f", par),
                    registrations + " new instances"});

            // 2. register -> up event at a watcher
            Map<String, Long> arrived = new ConcurrentHashMap<>();
            try (Watch watch = client.watch("bench-watch", event -> {
                if (event.kind() == ServiceEvent.Kind.UP) {
                    arrived.put(event.instance().id(), System.nanoTime());
                }
            })) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!watch.isConnected() && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                List<Double> latencies = new ArrayList<>();
                for (int i = 0; i < latencySamples; i++) {
                    String id = "l-" + i;
                    long sent = System.nanoTime();
                    client.put("bench-watch", id, new NewInstance("127.0.0.1:" + (20000 + i), Map.of(), 60));
                    long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                    while (!arrived.containsKey(id) && System.nanoTime() < waitUntil) {
                        Thread.onSpinWait();
                    }
                    Long at = arrived.get(id);
                    if (at == null) {
                        throw new IllegalStateException("no up event for " + id + " within 5 s");
                    }
                    latencies.add((at - sent) / 1e6);
                }
                rows.add(new String[] {"watch propagation p50 (ms)", String.format("%.1f", percentile(latencies, 50)),
                        latencySamples + " registrations, PUT sent -> up event at a watcher"});
                rows.add(new String[] {"watch propagation p99 (ms)", String.format("%.1f", percentile(latencies, 99)),
                        ""});
                rows.add(new String[] {"watch propagation max (ms)", String.format("%.1f", percentile(latencies, 100)),
                        ""});
            }

            // 3. owner death -> down event: register once (the owner's last heartbeat), then silence
            Map<String, Long> lastHeartbeat = new ConcurrentHashMap<>();
            Map<String, Long> down = new ConcurrentHashMap<>();
            CountDownLatch allDown = new CountDownLatch(deaths);
            try (Watch watch = client.watch("bench-death", event -> {
                if (event.kind() == ServiceEvent.Kind.DOWN && down.putIfAbsent(event.instance().id(), System.nanoTime()) == null) {
                    allDown.countDown();
                }
            })) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!watch.isConnected() && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                for (int i = 0; i < deaths; i++) {
                    String id = "d-" + i;
                    client.put("bench-death", id, new NewInstance("127.0.0.1:" + (20000 + i), Map.of(), ttl));
                    lastHeartbeat.put(id, System.nanoTime());
                    Thread.sleep(97); // spread the deaths over etcd's 500 ms expiry sweep
                }
                if (!allDown.await(ttl * 3L + 10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("only " + down.size() + " of " + deaths + " deaths were seen");
                }
                List<Double> detect = new ArrayList<>();
                lastHeartbeat.forEach((id, at) -> detect.add((down.get(id) - at) / 1e9));
                rows.add(new String[] {"owner death -> down p50 (s)", String.format("%.2f", percentile(detect, 50)),
                        deaths + " instances, TTL " + ttl + " s, time from last heartbeat"});
                rows.add(new String[] {"owner death -> down max (s)", String.format("%.2f", percentile(detect, 100)),
                        "target: TTL + 1 s = " + (ttl + 1) + " s"});
            }

            // 4. leader death -> a follower's elected callback (one sample)
            CountDownLatch won = new CountDownLatch(1);
            long[] wonAt = new long[1];
            client.campaignOnce("bench-leader", new Candidacy("dying", "127.0.0.1:20001", Map.of(), ttl));
            long lastLeaderHeartbeat = System.nanoTime();
            try (Election follower = client.campaign("bench-leader", "follower", "127.0.0.1:20002", Map.of(),
                    Duration.ofSeconds(ttl), new Election.Listener() {
                        @Override
                        public void elected(Instance self) {
                            wonAt[0] = System.nanoTime();
                            won.countDown();
                        }

                        @Override
                        public void deposed() {
                        }
                    })) {
                if (!won.await(ttl * 3L + 10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the follower was not elected");
                }
                rows.add(new String[] {"leader death -> follower elected (s)",
                        String.format("%.2f", (wonAt[0] - lastLeaderHeartbeat) / 1e9),
                        "1 sample, TTL " + ttl + " s, from the leader's last heartbeat"});
            }
        }
        print(rows);
        System.exit(0);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static double percentile(List<Double> values, int p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }

    private static void print(List<String[]> rows) {
        System.out.println();
        System.out.printf("%-42s %10s  %s%n", "metric", "value", "notes");
        System.out.printf("%-42s %10s  %s%n", "-".repeat(42), "-".repeat(10), "-".repeat(40));
        for (String[] row : rows) {
            System.out.printf("%-42s %10s  %s%n", row[0], row[1], row[2]);
        }
    }
}
