package dev.pier.platform;

import dev.pier.addon.postgres.AddonPostgresApplication;
import dev.pier.addon.redis.AddonRedisApplication;
import dev.pier.blobstore.BlobstoreApplication;
import dev.pier.controller.ControllerApplication;
import dev.pier.gitreceiver.GitReceiverApplication;
import dev.pier.router.Router;
import dev.pier.router.RouterApplication;
import dev.pier.scheduler.SchedulerApplication;
import dev.pier.web.boot.TrainingRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import org.springframework.boot.SpringApplication.AbandonedRunException;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Layer 1 of a cluster of machines, started in this JVM: the blobstore, the controller, the scheduler, the router, the
 * git receiver and the two add-on providers, in that order, each once the one before it serves. Each Spring Boot
 * service is its own application (its own context, beans, port and {@code application.properties},
 * {@link OwnProperties}); the router, which has no Spring, is started through {@link RouterApplication#start}.
 * Closing stops them the other way round. If one cannot start, those started are stopped and the failure is thrown.
 */
final class Platform implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Platform.class);

    /** What only the controller has a use for, though all the services share its jars: no other opens a database. */
    static final String NO_DATABASE = String.join(",",
            "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
            "org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration",
            "org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration",
            "org.springframework.boot.autoconfigure.orm.jpa.HibernateJpaAutoConfiguration",
            "org.springframework.boot.autoconfigure.data.jpa.JpaRepositoriesAutoConfiguration",
            "org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration",
            "org.springframework.boot.autoconfigure.websocket.servlet.WebSocketServletAutoConfiguration");

    /** A started service: closing it stops it. */
    interface Running extends AutoCloseable {
        Service service();

        /** Its Spring context; the router has none. */
        Optional<ConfigurableApplicationContext> context();

        @Override
        void close();
    }

    private record SpringService(Service service, ConfigurableApplicationContext spring) implements Running {
        @Override
        public Optional<ConfigurableApplicationContext> context() {
            return Optional.of(spring);
        }

        @Override
        public void close() {
            spring.close();
        }
    }

    private record RouterService(Router router) implements Running {
        @Override
        public Service service() {
            return Service.ROUTER;
        }

        @Override
        public Optional<ConfigurableApplicationContext> context() {
            return Optional.empty();
        }

        @Override
        public void close() {
            router.close();
        }
    }

    private final List<Running> started = new ArrayList<>();

    private Platform() {
    }

    /** Every service started and serving; if one cannot start, those started are stopped. */
    static Platform start(PlatformArguments arguments) {
        return start(arguments, false);
    }

    /**
     * A class-data training run ({@link TrainingRun}): each Spring service's context refreshed and abandoned, the
     * router started and stopped (on the ports its training environment gives, 0), then {@code whenTrained} runs.
     */
    static Platform train(PlatformArguments arguments, Runnable whenTrained) {
        Platform platform = start(arguments, true);
        whenTrained.run();
        return platform;
    }

    private static Platform start(PlatformArguments arguments, boolean training) {
        Platform platform = new Platform();
        try {
            for (Service service : Service.values()) {
                platform.run(service, arguments.of(service), training);
            }
            return platform;
        } catch (RuntimeException e) {
            platform.close();
            throw e;
        }
    }

    private void run(Service service, List<String> args, boolean training) {
        try {
            Running running = service == Service.ROUTER ? startRouter(args) : startSpring(service, args, training);
            if (running == null) {
                return;
            }
            if (training) {
                running.close();
                return;
            }
            synchronized (started) {
                started.add(running);
            }
        } catch (RuntimeException e) {
            // Spring Boot (or the router) has logged the cause; this says which of the platform's services it was
            log.error("event=platform_failed service={} did not start: {}", service.id(), e.toString());
            throw e;
        }
    }

    private static Running startRouter(List<String> args) {
        // the router logs through System.Logger (JUL); Spring Boot's logging system bridged JUL when the first service
        // started, and takes the bridge down again when a context closes
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
        return new RouterService(RouterApplication.start(args.toArray(String[]::new)));
    }

    /** The service's context started, or null when a training run abandoned it refreshed. */
    private static Running startSpring(Service service, List<String> args, boolean training) {
        SpringApplicationBuilder application = application(service);
        Class<?> main = application.application().getMainApplicationClass();
        List<String> defaults = new ArrayList<>(List.of(
                // no application.properties read by name: seven are on this class path; OwnProperties adds its own
                "spring.config.name=pier-platform-" + service.id(),
                // one JVM, one logging system, set up by the first service: each line names its logger
                // (dev.pier.controller…, dev.pier.router…) rather than the first service's name for all
                "logging.include-application-name=false",
                // not the router's logback.xml, which is on this class path too and names pier-router on every line
                "logging.config=classpath:dev/pier/platform/logback.xml",
                // logging stops with the JVM, not while the platform's own shutdown hook still stops the services
                "logging.register-shutdown-hook=false",
                // each service's meters in its own registry only, as in a JVM of its own
                "management.metrics.use-global-registry=false"));
        if (service != Service.CONTROLLER) {
            defaults.add("spring.autoconfigure.exclude=" + NO_DATABASE);
            // the controller's dashboard (classpath:/static/) is the controller's alone
            defaults.add("spring.web.resources.add-mappings=false");
        }
        if (service == Service.GIT_RECEIVER) {
            defaults.add(WithoutActuator.PROPERTY + "=false");
        }
        application.properties(defaults.toArray(String[]::new)).listeners(new OwnProperties(main))
                .registerShutdownHook(false);
        if (training) {
            // abandoned where it would start: of seven services some act as soon as they start (a provider registers
            // on ApplicationReadyEvent), and the real platform may be running beside this training run
            application.initializers(TrainingRun.refreshOnly(context -> {
                throw new AbandonedRunException(context);
            }));
        }
        try {
            return new SpringService(service, application.run(args.toArray(String[]::new)));
        } catch (AbandonedRunException e) {
            if (training) {
                return null;
            }
            throw e;
        }
    }

    static SpringApplicationBuilder application(Service service) {
        return switch (service) {
            case BLOBSTORE -> BlobstoreApplication.application();
            case CONTROLLER -> ControllerApplication.application();
            case SCHEDULER -> SchedulerApplication.application();
            case GIT_RECEIVER -> GitReceiverApplication.application();
            case ADDON_POSTGRES -> AddonPostgresApplication.application();
            case ADDON_REDIS -> AddonRedisApplication.application();
            case ROUTER -> throw new IllegalArgumentException("the router is no Spring application");
        };
    }

    @Override
    public void close() {
        List<Running> services;
        synchronized (started) {
            services = new ArrayList<>(started);
            started.clear();
        }
        for (int i = services.size() - 1; i >= 0; i--) {
            Running service = services.get(i);
            try {
                service.close();
            } catch (RuntimeException e) {
                log.warn("event=platform_stop_failed service={} error=\"{}\"", service.service().id(), e.toString());
            }
        }
    }

    /** The services started, in start order. */
    List<Running> services() {
        synchronized (started) {
            return List.copyOf(started);
        }
    }
}
