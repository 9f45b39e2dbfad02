package dev.pier.platform;

import org.springframework.boot.SpringApplication.AbandonedRunException;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.LifecycleProcessor;
import org.springframework.context.support.AbstractApplicationContext;

/**
 * A class-data training run of the platform (bin/lib/cds.sh runs every service's jar with
 * {@code -Dspring.context.exit=onRefresh}). Spring's own exit cannot serve: it is read once for the JVM and halts after
 * the first context's refresh, before the other services' classes are loaded. So the platform takes the property over
 * before any Spring class reads it, and each service's context is refreshed (its beans made, the classes a start loads
 * loaded) and then abandoned where it would have started: its beans are destroyed and nothing of it ever ran (no port
 * bound, no scheduled task, no {@code ApplicationReadyEvent}: a provider's training run must not register anything
 * while the real one runs). Unlike pier-machine's training run, which leaves all but the last context refreshed: of
 * seven services some act as soon as their context is refreshed.
 */
final class TrainingRun {

    static final String EXIT_PROPERTY = "spring.context.exit";

    private TrainingRun() {
    }

    /** Whether this JVM is a training run; if so, Spring's own exit is off from here on. */
    static boolean takeOver() {
        boolean training = "onRefresh".equalsIgnoreCase(System.getProperty(EXIT_PROPERTY));
        if (training) {
            System.clearProperty(EXIT_PROPERTY);
        }
        return training;
    }

    /** A context refreshed, then abandoned before it starts: its {@code run} throws {@link AbandonedRunException}. */
    static ApplicationContextInitializer<ConfigurableApplicationContext> refreshOnly() {
        return context -> context.getBeanFactory().registerSingleton(
                AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME, new Abandoned(context));
    }

    private record Abandoned(ConfigurableApplicationContext context) implements LifecycleProcessor {
        @Override
        public void onRefresh() {
            throw new AbandonedRunException(context);
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
