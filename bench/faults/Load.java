import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * Bounded load for bench/faults/run and bench/chaos/run: GET http://ADDRESS:PORT/ with Host: HOST at RATE
 * requests per second (spread over 8 client threads, keep-alive connections), for SECONDS or until the file
 * STOP exists. ADDRESS is 127.0.0.1 unless given, and only a loopback address or one of the machines' own
 * (10.0.0.0/8, the network bin/pier-dev up --machines makes) is taken. Prints one summary line (requests ok
 * failed, and the first and last failure's time); every failure (a status other than 200, a refused or broken
 * connection, a 2 s timeout) goes to stderr with the time its request was sent in epoch milliseconds first (a
 * request sent into a gap that times out is a failure of the gap, not of the time it timed out at), then how long
 * it took to fail.
 * Run with `java Load.java PORT HOST RATE SECONDS STOP [ADDRESS]` (Java 17's single-file launch).
 */
public class Load {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String host = args[1];
        int rate = Integer.parseInt(args[2]);
        Duration limit = Duration.ofSeconds(Long.parseLong(args[3]));
        java.nio.file.Path stop = java.nio.file.Path.of(args[4]);
        String address = args.length > 5 ? args[5] : "127.0.0.1";
        if (rate < 1 || rate > 2000 || limit.toMinutes() > 30) {
            throw new IllegalArgumentException("rate 1..2000 req/s and at most 30 minutes");
        }
        java.net.InetAddress target = java.net.InetAddress.getByName(address);
        if (!target.isLoopbackAddress() && !(target.getAddress().length == 4 && target.getAddress()[0] == 10)) {
            throw new IllegalArgumentException(address + " is neither a loopback address nor a machine's (10.x)");
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + target.getHostAddress() + ":" + port + "/"))
                .header("Host", host).timeout(Duration.ofSeconds(2)).GET().build();
        Instant end = Instant.now().plus(limit);
        AtomicInteger requests = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicLong firstFailure = new AtomicLong();
        AtomicLong lastFailure = new AtomicLong();
        int threads = 8;
        long intervalNanos = 1_000_000_000L * threads / rate;
        List<Thread> clients = IntStream.range(0, threads).mapToObj(i -> new Thread(() -> {
            long next = System.nanoTime() + i * intervalNanos / threads;
            while (Instant.now().isBefore(end) && !java.nio.file.Files.exists(stop)) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
                next += intervalNanos;
                requests.incrementAndGet();
                long sent = System.currentTimeMillis();
                String failure = null;
                try {
                    HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() == 200) {
                        ok.incrementAndGet();
                    } else {
                        failure = "status " + response.statusCode();
                    }
                } catch (IOException e) {
                    failure = e.getClass().getSimpleName() + ": " + e.getMessage();
                } catch (InterruptedException e) {
                    return;
                }
                if (failure != null) {
                    long now = System.currentTimeMillis();
                    firstFailure.compareAndSet(0, now);
                    lastFailure.set(now);
                    failures.add(sent + " " + Instant.ofEpochMilli(sent) + " " + failure + " (after " + (now - sent)
                            + " ms)");
                }
            }
        })).toList();
        clients.forEach(Thread::start);
        for (Thread client : clients) {
            client.join();
        }
        PrintStream err = System.err;
        failures.forEach(err::println);
        System.out.println("requests=" + requests.get() + " ok=" + ok.get() + " failed=" + failures.size()
                + " first_failure_ms=" + firstFailure.get() + " last_failure_ms=" + lastFailure.get());
    }
}
