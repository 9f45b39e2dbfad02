package dev.pier.discoverd.registry;

import dev.pier.web.ApiProblem;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for one etcd call with a deadline; a failure becomes a 503 problem that names etcd. */
public final class EtcdCall {
    private final Duration timeout;
    private final String endpoints;

    public EtcdCall(Duration timeout, List<String> endpoints) {
        this.timeout = timeout;
        this.endpoints = String.join(",", endpoints);
    }

    public <T> T await(String what, CompletableFuture<T> call) {
        try {
            return call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw ApiProblem.unavailable("etcd at " + endpoints + " is unreachable: " + what + " got no answer within "
                    + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw ApiProblem.unavailable("etcd at " + endpoints + " failed " + what + ": " + cause.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiProblem.unavailable("interrupted while waiting for etcd (" + what + ")");
        }
    }
}
