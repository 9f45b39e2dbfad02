package dev.pier.platform;

import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Leaves out Spring Boot Actuator's auto-configurations in a context whose environment says
 * {@code pier.platform.actuator=false}: the git receiver's. Alone, its jar has no Actuator (it serves its own
 * {@code /metrics} from a registry of its own); on the platform's class path, which has Actuator for the HTTP services,
 * Actuator's metrics auto-configuration bound the JVM's meters a second time to the receiver's registry and
 * configured its filters after meters were registered. Any other context: everything, as before.
 */
public final class WithoutActuator implements AutoConfigurationImportFilter, EnvironmentAware {

    static final String PROPERTY = "pier.platform.actuator";
    private static final String ACTUATOR = "org.springframework.boot.actuate.autoconfigure.";

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public boolean[] match(String[] candidates, AutoConfigurationMetadata metadata) {
        boolean off = environment != null && !environment.getProperty(PROPERTY, Boolean.class, true);
        boolean[] match = new boolean[candidates.length];
        for (int i = 0; i < candidates.length; i++) {
            match[i] = !off || candidates[i] == null || !candidates[i].startsWith(ACTUATOR);
        }
        return match;
    }
}
