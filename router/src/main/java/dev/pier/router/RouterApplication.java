package dev.pier.router;

import dev.pier.router.config.Settings;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The router: HTTP reverse proxy in front of every app, by Host header. Runs until SIGTERM (or SIGINT), then stops
 * its parts; a setting it cannot use (or a port it cannot listen on) stops it at once with exit status 1, naming
 * the setting (or the port).
 *
 * <p>With {@code -Dpier.cds.training=true} (bin/lib/cds.sh's class-data training run) it starts, then stops and
 * exits 0 at once.
 */
public final class RouterApplication {
    private RouterApplication() {
    }

    public static void main(String[] args) throws InterruptedException {
        NettyDefaults.applyTo(System.getProperties()); // before any Netty class reads them
        System.setProperty("PID", Long.toString(ProcessHandle.current().pid())); // for the log lines' pattern
        SLF4JBridgeHandler.removeHandlersForRootLogger(); // the parts log through System.Logger, i.e. JUL
        SLF4JBridgeHandler.install();
        Router router;
        try {
            router = start(args);
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(RouterApplication.class).error("event=router-not-started error=\"{}\"",
                    e.getMessage(), e);
            System.err.println("pier-router: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (Boolean.getBoolean("pier.cds.training")) {
            router.close();
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            router.close();
            stopped.countDown();
        }, "pier-router-stop"));
        stopped.await(); // Netty's threads are daemons: main holds the JVM up until the router stops
    }

    /**
     * The router started with these {@code --name=value} settings, then the JVM's system properties, then its
     * environment: alone ({@link #main}) or beside the rest of Layer 1 in one JVM (pier-platform), which applies
     * {@link NettyDefaults} and the logging bridge itself. A setting it cannot use or a port it cannot listen on throws.
     */
    public static Router start(String... args) {
        return Router.start(Settings.of(args, systemProperties(), System.getenv(), RouterProperties.ENVIRONMENT_ALIASES));
    }

    private static Map<String, String> systemProperties() {
        Map<String, String> properties = new HashMap<>();
        System.getProperties().forEach((k, v) -> properties.put(String.valueOf(k), String.valueOf(v)));
        return properties;
    }
}
