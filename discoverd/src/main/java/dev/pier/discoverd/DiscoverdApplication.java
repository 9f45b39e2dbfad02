package dev.pier.discoverd;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** discoverd: service discovery and leader election over etcd, one per host (see docs/discoverd.md). */
// ErrorMvcAutoConfiguration's BasicErrorController clashes with pier-web's ProblemErrorController on /error when
// the auto-configurations are ordered the other way round; pier-web's controller answers /error on its own.
@SpringBootApplication(exclude = ErrorMvcAutoConfiguration.class)
@ConfigurationPropertiesScan
public class DiscoverdApplication {

    /** Its properties file is pier-discoverd.properties: it shares a JVM with the host agent's on a machine. */
    public static final String CONFIG_NAME = "pier-discoverd";

    public static void main(String[] args) {
        application().run(args);
    }

    /** discoverd as an application, alone (main) or beside the host agent in one JVM (pier-machine). */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(DiscoverdApplication.class).main(DiscoverdApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME);
    }
}
