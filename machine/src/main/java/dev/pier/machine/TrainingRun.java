package dev.pier.machine;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.LifecycleProcessor;
import org.springframework.context.support.AbstractApplicationContext;

/**
 * A class-data training run of the machine (bin/lib/cds.sh runs every service's jar with
 * {@code -Dspring.context.exit=onRefresh}): both applications' contexts are refreshed (their beans made, the classes
 * a start loads loaded) and none is started, then the JVM halts as Spring's own {@code onRefresh} exit does, so the
 * archive is written. Spring's exit cannot serve: it is read once for the JVM and halts after the first context's
 * refresh, before the host agent's classes are loaded. So the machine takes the property over before any Spring class
 * reads it, and each context gets a lifecycle processor that starts nothing; the last one's halts.
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

    /** A context refreshed and not started: {@code whenRefreshed} runs where it would have started. */
    static ApplicationContextInitializer<ConfigurableApplicationContext> refreshOnly(Runnable whenRefreshed) {
        return context -> context.getBeanFactory().registerSingleton(
                AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME, new NothingStarted(whenRefreshed));
    }

    private record NothingStarted(Runnable whenRefreshed) implements LifecycleProcessor {
        @Override
        public void onRefresh() {
            whenRefreshed.run();
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
