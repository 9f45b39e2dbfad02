package dev.pier.discoverd.registry;

import dev.pier.web.ApiProblem;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for one etcd call with a deadline; a failure becomes a 503 problem that names etcd. Each call's duration
 * goes to {@code pier_discoverd_etcd_request_seconds{operation,outcome}} when a meter registry is given.
 */
public final class EtcdCall {
    private final Duration timeout;
    private final String endpoints;
    private final MeterRegistry meters;

    public EtcdCall(Duration timeout, List<String> endpoints) {
        this(timeout, endpoints, null);
    }

    public EtcdCall(Duration timeout, List<String> endpoints, MeterRegistry meters) {
        this.timeout = timeout;
        this.endpoints = String.join(",", endpoints);
        this.meters = meters;
    }

    /** Waits for {@code call}; {@code what} says what it does, its first word names the operation in metrics. */
    public <T> T await(String what, CompletableFuture<T> call) {
        long start = System.nanoTime();
        String outcome = "error";
        try {
            T result = call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            outcome = "ok";
            return result;
        } catch (TimeoutException e) {
            outcome = "timeout";
            call.cancel(true);
            throw failure(what, e);
        } catch (ExecutionException | InterruptedException e) {
            throw failure(what, e);
        } finally {
            if (meters != null) {
                int space = what.indexOf(' ');
                Timer.builder("pier.discoverd.etcd.request").description("etcd calls discoverd waited for")
                        .tag("operation", space < 0 ? what : what.substring(0, space)).tag("outcome", outcome)
                        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                        .maximumExpectedValue(timeout).register(meters)
                        .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
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
