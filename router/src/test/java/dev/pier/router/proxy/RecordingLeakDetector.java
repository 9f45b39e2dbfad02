package dev.pier.router.proxy;

import io.netty.util.ResourceLeakDetector;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Netty's leak detector, made to keep what it finds as well as log it. The router's tests run every buffer under it
 * at the paranoid level (router/pom.xml: {@code io.netty.customResourceLeakDetector}), so that
 * {@link ProxyLeakTest} can fail on a leak: the router itself runs with leak detection off (docs/router.md).
 */
public final class RecordingLeakDetector<T> extends ResourceLeakDetector<T> {
    /** Every leak reported in this JVM: the type of the leaked object and, when traced, where it was touched. */
    static final List<String> LEAKS = new CopyOnWriteArrayList<>();

    public RecordingLeakDetector(Class<?> resourceType, int samplingInterval) {
        super(resourceType, samplingInterval);
    }

    @SuppressWarnings("deprecation") // the constructor Netty looks for first
    public RecordingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
        super(resourceType, samplingInterval, maxActive);
    }

    @Override
    protected boolean needReport() {
        return true; // whatever the log level: a leak is recorded
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
        LEAKS.add(resourceType + records);
        super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
        LEAKS.add(resourceType);
        super.reportUntracedLeak(resourceType);
    }
}
