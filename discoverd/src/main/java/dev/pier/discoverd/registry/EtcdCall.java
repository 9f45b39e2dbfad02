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
            throw failure(what, e);
        } catch (ExecutionException | InterruptedException e) {
            throw failure(what, e);
        }
    }

    /** The 503 problem for a failed etcd call. */
    public ApiProblem failure(String what, Exception e) {
        if (e instanceof TimeoutException) {
            return ApiProblem.unavailable("etcd at " + endpoints + " is unreachable: " + what + " got no answer within "
                    + timeout.toMillis() + " ms");
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return ApiProblem.unavailable("interrupted while waiting for etcd (" + what + ")");
        }
        Throwable cause = e.getCause() == null ? e : e.getCause();
        return ApiProblem.unavailable("etcd at " + endpoints + " failed " + what + ": " + cause.getMessage());
    }
}
