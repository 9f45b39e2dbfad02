package dev.pier.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** Waiting for an etcd member to answer healthy, for {@link EtcdServer} and {@link EtcdCluster}. */
final class EtcdHealth {
    private EtcdHealth() {
    }

    /**
     * Polls {@code endpoint}'s {@code /health} until it says {@code true} (the member runs and its cluster has a
     * leader), for at most {@code ready}. {@code dead} names why the member cannot become healthy any more (its
     * process ended, with its log), or is empty while it runs. {@code who} names the member in the timeout's message.
     */
    static void await(String endpoint, Duration ready, Supplier<Optional<String>> dead, String who,
                      Supplier<String> log) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(endpoint + "/health"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + ready.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> why = dead.get();
            if (why.isPresent()) {
                throw new IllegalStateException(why.get());
            }
            try {
                HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("true")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for etcd", e);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for etcd", e);
            }
        }
        throw new IllegalStateException(who + " did not become healthy within " + ready.toSeconds() + " s; log:\n"
                + log.get());
    }
}
