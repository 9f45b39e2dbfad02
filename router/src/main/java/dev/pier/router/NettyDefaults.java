package dev.pier.router;

import java.util.Map;
import java.util.Properties;

/**
 * Netty settings the router runs with unless the operator set them ({@code -D} options, e.g. in
 * {@code PIER_JAVA_OPTS}). Applied first thing in {@code main}, before Netty reads them (once, as its classes load).
 *
 * <p>{@code io.netty.leakDetection.level=disabled}: at Netty's default level one buffer allocation in 128 is tracked,
 * with a stack trace taken at each tracked buffer's allocation and uses. On the bench machine that cost the router
 * about a tenth of its throughput (docs/benchmarks.md, "router"). Leak detection is a diagnostic, not a guard: the
 * router's tests run every buffer under it at the paranoid level and fail on a leak ({@code ProxyLeakTest}), and an
 * operator chasing one sets {@code -Dio.netty.leakDetection.level=simple} or {@code paranoid}.
 */
public final class NettyDefaults {
    static final Map<String, String> DEFAULTS = Map.of("io.netty.leakDetection.level", "disabled");

    private NettyDefaults() {
    }

    /** Sets each default the given properties do not already have. */
    public static void applyTo(Properties properties) {
        DEFAULTS.forEach(properties::putIfAbsent);
    }
}
