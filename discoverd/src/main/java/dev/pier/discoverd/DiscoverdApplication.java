package dev.pier.discoverd;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** discoverd: service discovery and leader election over etcd, one per host (see docs/discoverd.md). */
// ErrorMvcAutoConfiguration's BasicErrorController clashes with pier-web's ProblemErrorController on /error when
// the auto-configurations are ordered the other way round; pier-web's controller answers /error on its own.
@SpringBootApplication(exclude = ErrorMvcAutoConfiguration.class)
@ConfigurationPropertiesScan
public class DiscoverdApplication {
    public static void main(String[] args) {
        SpringApplication.run(DiscoverdApplication.class, args);
    }
}
