package dev.pier.web.boot;

import java.util.function.Consumer;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.LifecycleProcessor;
import org.springframework.context.support.AbstractApplicationContext;

/**
 * A class-data training run of a JVM that runs several Spring applications (bin/lib/cds.sh runs every service's jar
 * with {@code -Dspring.context.exit=onRefresh}). Spring's own exit cannot serve: it is read once for the JVM and halts
 * after the first context's refresh, before the other applications' classes are loaded. So the JVM takes the property
 * over before any Spring class reads it ({@link #takeOver}), and each context gets a lifecycle processor that starts
 * nothing ({@link #refreshOnly}): its beans are made and the classes a start loads loaded, no port is bound, nothing
 * joins the cluster; where it would have started, the caller's {@code whenRefreshed} runs.
 */
public final class TrainingRun {
    static final String EXIT_PROPERTY = "spring.context.exit";

    private TrainingRun() {
    }

    /** Whether this JVM is a training run; if so, Spring's own exit is off from here on. */
    public static boolean takeOver() {
        boolean training = "onRefresh".equalsIgnoreCase(System.getProperty(EXIT_PROPERTY));
        if (training) {
            System.clearProperty(EXIT_PROPERTY);
        }
        return training;
    }

    /**
     * A context refreshed and not started: {@code whenRefreshed} gets it where it would have started (it may throw
     * Spring's {@code AbandonedRunException} to end the application's run there, its beans destroyed).
     */
    public static ApplicationContextInitializer<ConfigurableApplicationContext> refreshOnly(
            Consumer<ConfigurableApplicationContext> whenRefreshed) {
        return context -> context.getBeanFactory().registerSingleton(
                AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME, new NothingStarted(context, whenRefreshed));
    }

    private record NothingStarted(ConfigurableApplicationContext context,
                                  Consumer<ConfigurableApplicationContext> whenRefreshed) implements LifecycleProcessor {
        @Override
        public void onRefresh() {
            whenRefreshed.accept(context);
        }

        @Override
        public void onClose() {
        }

        @Override
        public void start() {
        }

        @Override
        public void stop() {
        }

        @Override
        public boolean isRunning() {
            return false;
        }
    }
}
