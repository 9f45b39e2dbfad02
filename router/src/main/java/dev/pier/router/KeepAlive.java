package dev.pier.router;

import java.util.concurrent.CountDownLatch;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Holds the JVM up while the router runs. Reactor Netty's event loops are daemon threads and Spring starts no
 * web server here ({@code web-application-type=none}), so without one thread of its own the process would end
 * as soon as {@code main} returns. Released when the context stops (on SIGTERM, through Spring's shutdown hook).
 */
@Component
class KeepAlive implements SmartLifecycle {
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Thread thread;

    @Override
    public void start() {
        Thread holder = new Thread(() -> {
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "pier-router-keep-alive");
        holder.setDaemon(false);
        holder.start();
        thread = holder;
    }

    @Override
    public void stop() {
        stopped.countDown();
    }

    @Override
    public boolean isRunning() {
        return thread != null && thread.isAlive();
    }
}
