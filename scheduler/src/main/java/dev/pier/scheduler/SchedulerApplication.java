package dev.pier.scheduler;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The scheduler: turns formations into jobs on hosts. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class SchedulerApplication {
    public static void main(String[] args) {
        application().run(args);
    }

    /** The scheduler as an application, alone (main) or beside the rest of Layer 1 in one JVM (pier-platform). */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(SchedulerApplication.class).main(SchedulerApplication.class);
    }
}
