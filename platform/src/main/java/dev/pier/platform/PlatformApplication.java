package dev.pier.platform;

import dev.pier.router.NettyDefaults;
import dev.pier.web.boot.TrainingRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code pier-platform.jar}: Layer 1 of a cluster of machines in one JVM (machine 1 of {@code bin/pier-dev up
 * --machines N}): the blobstore, the controller, the scheduler, the router, the git receiver and the PostgreSQL and
 * Redis add-on providers, each its own application (context, properties file, port, beans) sharing the JVM's loaded
 * classes, compiled code and heap (docs/machines.md has what that saves). Arguments: {@code --controller.X=v} is the
 * controller's {@code --X=v}, and so on for every service ({@link PlatformArguments}); any other argument is all's.
 *
 * <p>Exit status 1 when a service cannot start (a supervisor starts the whole platform again, never part of it), 2
 * for arguments it cannot read. {@code -Dspring.context.exit=onRefresh} makes it a class-data training run
 * ({@link TrainingRun}).
 */
public final class PlatformApplication {

    private static final Logger log = LoggerFactory.getLogger(PlatformApplication.class);

    private PlatformApplication() {
    }

    public static void main(String[] args) {
        NettyDefaults.applyTo(System.getProperties()); // the router's, before any Netty class reads them
        boolean training = TrainingRun.takeOver();
        PlatformArguments arguments;
        try {
            arguments = PlatformArguments.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("pier-platform: " + e.getMessage());
            System.exit(2);
            return;
        }
        Platform platform;
        try {
            platform = training ? Platform.train(arguments, () -> Runtime.getRuntime().halt(0))
                    : Platform.start(arguments);
        } catch (RuntimeException e) {
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(platform::close, "platform-shutdown"));
        log.info("event=platform_started services={}", platform.services().stream()
                .map(s -> s.service().id()).toList());
    }
}
