package dev.pier.scheduler.reconcile;

import java.util.concurrent.CompletableFuture;

/**
 * Word that discovery named another host leader, so that what waits on one leader's answer can stop waiting: a
 * leader whose machine lost its power never answers, and its successor is known seconds before a read of its view
 * gives up ({@link LiveCluster#READ_TIMEOUT}).
 */
@FunctionalInterface
public interface HostLeaderSuccession {
    /** No word ever: every read waits for its answer or its timeout. */
    HostLeaderSuccession NONE = leaderId -> new CompletableFuture<>();

    /**
     * Completes once discovery names a leader other than {@code leaderId} (or none), from now on. The caller cancels
     * it when it no longer waits.
     */
    CompletableFuture<Void> after(String leaderId);
}
