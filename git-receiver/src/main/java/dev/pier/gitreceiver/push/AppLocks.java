package dev.pier.gitreceiver.push;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One push per app at a time: a second push waits (and is told so) until the first ends, or gives up. A permit,
 * not an owned lock: it is given back once, by whoever ends the push.
 */
public final class AppLocks {
    private final Map<String, Semaphore> permits = new ConcurrentHashMap<>();

    /** Holds the app's permit; {@code onWait} runs once if another push holds it. Null when the wait ran out. */
    public AutoCloseable acquire(String app, Duration wait, Runnable onWait) throws InterruptedException {
        Semaphore permit = permits.computeIfAbsent(app, a -> new Semaphore(1, true));
        if (!permit.tryAcquire()) {
            onWait.run();
            if (!permit.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                return null;
            }
        }
        return permit::release;
    }
}
