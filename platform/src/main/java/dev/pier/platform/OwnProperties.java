package dev.pier.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Enumeration;
import java.util.List;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.env.EnvironmentPostProcessorApplicationListener;
import org.springframework.boot.env.PropertiesPropertySourceLoader;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.UrlResource;

/**
 * A service's own {@code application.properties}, the one in its own jar: seven of them are on the platform's one
 * class path, where {@code classpath:application.properties} is whichever comes first. Each service's context reads
 * no {@code application.properties} by name (its {@code spring.config.name} names no file) and gets its own file here
 * instead, where Spring Boot would have put it: below the command line, system properties and environment, above the
 * defaults. Added before the logging system reads the environment, so the file's logging levels apply.
 *
 * <p>The services' modules keep their {@code application.properties} as they are: their own jars and tests read it
 * the usual way.
 */
final class OwnProperties implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

    static final String FILE = "application.properties";
    private static final String DEFAULTS = "defaultProperties";

    private final Class<?> application;

    OwnProperties(Class<?> application) {
        this.application = application;
    }

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        MutablePropertySources sources = event.getEnvironment().getPropertySources();
        for (PropertySource<?> source : load(application)) {
            if (sources.contains(DEFAULTS)) {
                sources.addBefore(DEFAULTS, source);
            } else {
                sources.addLast(source);
            }
        }
    }

    /** After Spring Boot's own environment post-processing (config data), before the logging system's set-up. */
    @Override
    public int getOrder() {
        return EnvironmentPostProcessorApplicationListener.DEFAULT_ORDER + 1;
    }

    /** The {@code application.properties} of the jar (or classes directory) the class was loaded from. */
    static List<PropertySource<?>> load(Class<?> application) {
        URL own = find(application);
        try {
            return new PropertiesPropertySourceLoader().load(
                    "Config resource '" + FILE + "' of " + application.getSimpleName(), new UrlResource(own));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + own, e);
        }
    }

    static URL find(Class<?> application) {
        // file:/…/lib/pier-blobstore.jar, file:/…/blobstore/target/classes/ or jar:nested:/…!/BOOT-INF/lib/….jar!/
        String location = application.getProtectionDomain().getCodeSource().getLocation().toString();
        try {
            Enumeration<URL> all = application.getClassLoader().getResources(FILE);
            while (all.hasMoreElements()) {
                URL candidate = all.nextElement();
                String url = candidate.toString();
                if (url.startsWith(location) || url.startsWith("jar:" + location + "!/")) {
                    return candidate;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + FILE + " on the class path", e);
        }
        throw new IllegalStateException("no " + FILE + " beside " + application.getName() + " (" + location + ")");
    }
}
