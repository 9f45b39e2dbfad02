package dev.pier.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Constant load on one app through the router, as its users would make it: {@code clients} threads, each sending
 * GETs one after the other to the router (127.0.0.1 unless told another address) with the app's {@code Host},
 * until closed, or until {@code maxRequests} in all or {@code maxTime} have passed. Every answer that is not a 200,
 * and every request that got no answer, is a failure, kept with what happened and when its request was sent; the
 * 200s are counted by what {@code label} makes of their body (e.g. which release answered).
 */
final class RouterLoad implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong sent = new AtomicLong();
    /** One request: when it was sent, when its answer (or its failure) came, and what failed, if it did. */
    record Request(Instant sent, Instant ended, String failure) {
        boolean failed() {
            return failure != null;
        }
    }

    private final java.util.Queue<Request> requests = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();

    RouterLoad(int routerPort, String domain, int clients, long maxRequests, Duration maxTime,
               Function<String, String> label) {
        this("127.0.0.1", routerPort, domain, clients, maxRequests, maxTime, label);
    }

    RouterLoad(String routerHost, int routerPort, String domain, int clients, long maxRequests, Duration maxTime,
               Function<String, String> label) {
        long deadline = System.nanoTime() + maxTime.toNanos();
        byte[] request = ("GET / HTTP/1.1\r\nHost: " + domain + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < clients; i++) {
            Thread thread = new Thread(() -> {
                while (running.get() && System.nanoTime() < deadline && sent.incrementAndGet() <= maxRequests) {
                    // a connection per request, as many browsers' first requests are: each is routed afresh
                    Instant sent = Instant.now();
                    String failure = null;
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(routerHost, routerPort), 5000);
                        socket.setSoTimeout(15_000);
                        socket.getOutputStream().write(request);
                        String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                        int end = answer.indexOf("\r\n");
                        String status = end < 0 ? answer : answer.substring(0, end);
                        int bodyAt = answer.indexOf("\r\n\r\n");
                        String body = bodyAt < 0 ? "" : answer.substring(bodyAt + 4);
                        if (!status.startsWith("HTTP/1.1 200")) {
                            failure = status + " " + body.strip();
                        } else {
                            answers.computeIfAbsent(label.apply(body), k -> new AtomicLong()).incrementAndGet();
                        }
                    } catch (IOException e) {
                        failure = "no answer: " + e;
                    }
                    requests.add(new Request(sent, Instant.now(), failure));
                }
            }, "router-load-" + i);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
    }

    /** What failed, of every failed request that has ended, in the order they ended. */
    List<String> failures() {
        return requests.stream().filter(Request::failed).map(Request::failure).toList();
    }

    /** Every request that has ended, in no particular order. */
    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** How many 200s each label got. */
    Map<String, Long> answers() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        answers.forEach((label, count) -> counts.put(label, count.get()));
        return counts;
    }

    long succeeded() {
        return answers.values().stream().mapToLong(AtomicLong::get).sum();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(30).toMillis());
        }
    }
}
