package dev.pier.scheduler.cluster;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A bounded stream of GET requests to one domain through the router on 127.0.0.1, from a few client threads,
 * each request on a new connection: it counts what each answer said and every request that failed (a refused
 * or broken connection, a timeout, a status other than 200). It stops when told to, after {@code maxRequests},
 * or at {@code deadline}, whichever comes first.
 */
final class RouterTraffic implements AutoCloseable {
    private final int routerPort;
    private final String domain;
    private final int maxRequests;
    private final Instant deadline;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicInteger sent = new AtomicInteger();
    private final LongAdder succeeded = new LongAdder();
    private final Map<String, LongAdder> bodies = new ConcurrentHashMap<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final List<Thread> clients;

    RouterTraffic(int routerPort, String domain, int clients, int maxRequests, Duration limit) {
        this.routerPort = routerPort;
        this.domain = domain;
        this.maxRequests = maxRequests;
        this.deadline = Instant.now().plus(limit);
        this.clients = java.util.stream.IntStream.range(0, clients).mapToObj(i -> {
            Thread client = new Thread(this::run, "traffic-" + i);
            client.setDaemon(true);
            return client;
        }).toList();
        this.clients.forEach(Thread::start);
    }

    private void run() {
        while (!stopped.get() && Instant.now().isBefore(deadline) && sent.incrementAndGet() <= maxRequests) {
            try {
                Answer answer = get(routerPort, domain);
                if (answer.status() != 200) {
                    failures.add(Instant.now() + " " + answer.statusLine());
                    continue;
                }
                succeeded.increment();
                bodies.computeIfAbsent(answer.body(), b -> new LongAdder()).increment();
            } catch (IOException e) {
                failures.add(Instant.now() + " " + e);
            }
        }
    }

    /** One answer: its status line, status (0 when there was none) and body with whitespace stripped. */
    record Answer(String statusLine, int status, String body) {
    }

    /** One GET of {@code domain} through the router, on a new connection. */
    static Answer get(int routerPort, String domain) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", routerPort), 5000);
            socket.setSoTimeout(15000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + domain + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            String answer = bytes.toString(StandardCharsets.UTF_8);
            int headEnd = answer.indexOf("\r\n\r\n");
            int lineEnd = answer.indexOf("\r\n");
            String statusLine = lineEnd < 0 ? "no answer" : answer.substring(0, lineEnd);
            var status = java.util.regex.Pattern.compile("HTTP/1\\.[01] (\\d{3}) .*").matcher(statusLine);
            if (headEnd < 0 || !status.matches()) {
                return new Answer(statusLine, 0, "");
            }
            return new Answer(statusLine, Integer.parseInt(status.group(1)), answer.substring(headEnd + 4).strip());
        }
    }

    /** Stops the clients and waits for their last requests. */
    @Override
    public void close() throws InterruptedException {
        stopped.set(true);
        for (Thread client : clients) {
            client.join(Duration.ofSeconds(30).toMillis());
        }
    }

    long succeeded() {
        return succeeded.sum();
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    /** How many 200 answers had each body (whitespace stripped). */
    Map<String, Long> bodies() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        bodies.forEach((body, count) -> counts.put(body, count.sum()));
        return counts;
    }
}
