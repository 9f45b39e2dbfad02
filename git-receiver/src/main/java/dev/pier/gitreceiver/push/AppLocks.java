package dev.pier.gitreceiver.push;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/** One push per app at a time: a second push waits (and is told so) until the first ends, or gives up. */
public final class AppLocks {
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    /** Holds the app's lock; {@code onWait} runs once if another push holds it. Null when the wait ran out. */
    public AutoCloseable acquire(String app, Duration wait, Runnable onWait) throws InterruptedException {
        ReentrantLock lock = locks.computeIfAbsent(app, a -> new ReentrantLock(true));
        if (!lock.tryLock()) {
            onWait.run();
            if (!lock.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                return null;
            }
        }
        return lock::unlock;
    }
}
