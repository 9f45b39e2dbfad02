package dev.pier.web;

import org.springframework.aot.AotDetector;
import org.springframework.context.aot.AbstractAotProcessor;
import org.springframework.util.ClassUtils;

/**
 * Spring AOT for a service whose build ran Spring Boot's {@code process-aot}: its application context is then
 * built from bean definitions generated at build time (plain code) instead of from configuration classes,
 * annotations and conditions read by reflection at every start. Conditions are evaluated once, at build time;
 * a Pier service's bean graph does not depend on run-time properties, only their values do.
 */
public final class AheadOfTime {
    private AheadOfTime() {
    }

    /**
     * Turns {@code spring.aot.enabled} on when the application's generated initializer is on its class path,
     * unless that property was set either way ({@code -Dspring.aot.enabled=false} starts the service the
     * reflective way) or this is the build's AOT processing run itself. Call first thing in {@code main}.
     */
    public static void preferGeneratedCode(Class<?> application) {
        if (System.getProperty(AotDetector.AOT_ENABLED) != null
                || Boolean.getBoolean(AbstractAotProcessor.AOT_PROCESSING)) {
            return;
        }
        if (ClassUtils.isPresent(initializerName(application), application.getClassLoader())) {
            System.setProperty(AotDetector.AOT_ENABLED, "true");
        }
    }

    /** The class Spring's AOT processing generates for the application's context. */
    static String initializerName(Class<?> application) {
        return application.getName() + "__ApplicationContextInitializer";
    }
}
