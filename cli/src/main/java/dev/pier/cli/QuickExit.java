package dev.pier.cli;

/**
 * Ends the JVM without its exit's wait. On exit, HotSpot waits up to 0.3 s for every thread still in native code to
 * stop, and the selector thread of {@link java.net.http.HttpClient} always is, in {@code epoll_wait}: that wait was a
 * third of {@code pier apps}. Java 17's client has no {@code close()}; an interrupted selector thread ends its loop,
 * so the exit finds no such thread.
 */
final class QuickExit {
    /** The JDK names its selector threads {@code HttpClient-<n>-SelectorManager}. */
    private static final String SELECTOR_THREAD_SUFFIX = "-SelectorManager";
    private static final long STOP_WAIT_MS = 50;

    private QuickExit() {
    }

    static void exit(int code) {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("HttpClient-") && thread.getName().endsWith(SELECTOR_THREAD_SUFFIX)) {
                thread.interrupt();
                try {
                    thread.join(STOP_WAIT_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        System.exit(code);
    }
}
