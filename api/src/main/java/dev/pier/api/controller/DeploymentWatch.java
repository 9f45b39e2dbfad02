package dev.pier.api.controller;

import dev.pier.api.Deployment;
import dev.pier.api.Event;
import dev.pier.api.EventTypes;
import dev.pier.api.http.PierApiException;
import dev.pier.api.http.Json;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Waits for a deployment to finish. It follows the controller's {@code deployment} events of the app, so a
 * change is seen as soon as it commits, and asks for the deployment every {@link #RECHECK} as well, in case
 * the stream is down. The first look comes after the stream is open: nothing between the deploy and the
 * subscription is missed.
 */
public final class DeploymentWatch {
    /** How often the deployment is asked for while no event says anything about it. */
    public static final Duration RECHECK = Duration.ofSeconds(2);

    private DeploymentWatch() {
    }

    /**
     * Returns the deployment once it is finished (complete or failed), or as it last was when {@code timeout}
     * ran out (the caller checks {@link dev.pier.api.DeploymentStatus#isFinished()}). {@code onChange} sees
     * every status and every step it passes through that this watch notices, the given one first, each once
     * and in order (an event that arrives after a newer look at the deployment is not shown again).
     */
    public static Deployment await(ControllerClient client, Deployment deployment, Duration timeout,
                                   Consumer<Deployment> onChange) throws InterruptedException {
        onChange.accept(deployment);
        if (deployment.status().isFinished()) {
            return deployment;
        }
        BlockingQueue<Deployment> seen = new LinkedBlockingQueue<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        EventSubscription events = follow(client, deployment, seen);
        try {
            Deployment last = deployment;
            Set<String> stepsSeen = new HashSet<>();
            if (deployment.step() != null) {
                stepsSeen.add(deployment.step());
            }
            Deployment next = fetch(client, deployment);
            while (true) {
                if (next != null && last.status().canMoveTo(next.status())) {
                    boolean newStep = next.step() != null && stepsSeen.add(next.step());
                    if (next.status() != last.status() || newStep) {
                        onChange.accept(next);
                    }
                    last = next;
                    if (last.status().isFinished()) {
                        return last;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return last;
                }
                next = seen.poll(Math.min(left, RECHECK.toNanos()), TimeUnit.NANOSECONDS);
                if (next == null && System.nanoTime() < deadline) {
                    next = fetch(client, deployment);
                }
            }
        } finally {
            if (events != null) {
                events.close();
            }
        }
    }

    /** The app's deployment events, or null when the controller cannot be asked now (rechecks go on). */
    private static EventSubscription follow(ControllerClient client, Deployment deployment,
                                            BlockingQueue<Deployment> seen) {
        try {
            return client.followEvents(deployment.app(), Set.of(EventTypes.DEPLOYMENT), null,
                    event -> about(event, deployment, seen));
        } catch (PierApiException e) {
            return null;
        }
    }

    private static void about(Event event, Deployment deployment, BlockingQueue<Deployment> seen) {
        if (deployment.id().toString().equals(event.objectId()) && event.data() != null) {
            try {
                seen.add(Json.mapper().treeToValue(event.data(), Deployment.class));
            } catch (Exception e) {
                // not a deployment we can read: the next recheck asks for it
            }
        }
    }

    private static Deployment fetch(ControllerClient client, Deployment deployment) {
        try {
            return client.deployment(deployment.id());
        } catch (PierApiException e) {
            return null;
        }
    }
}
