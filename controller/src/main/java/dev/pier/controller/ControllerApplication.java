package dev.pier.controller;

import dev.pier.web.AheadOfTime;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The controller: Pier's entry point, a REST API over PostgreSQL. Its build generates the application context's
 * bean definitions ahead of time (Spring AOT, {@code process-aot}), which {@link #main} uses: a fifth less
 * start-up (docs/benchmarks.md). Tests that build a context from this class directly use reflection as usual.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ControllerApplication {
    public static void main(String[] args) {
        AheadOfTime.preferGeneratedCode(ControllerApplication.class);
        application().run(args);
    }

    /** The controller as an application, alone (main) or beside the rest of Layer 1 in one JVM (pier-platform). */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(ControllerApplication.class).main(ControllerApplication.class);
    }
}
