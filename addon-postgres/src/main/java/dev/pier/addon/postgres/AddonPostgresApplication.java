package dev.pier.addon.postgres;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The PostgreSQL provider: databases for apps on a PostgreSQL server it runs as a system app (docs/addons.md). */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AddonPostgresApplication {
    public static void main(String[] args) {
        SpringApplication.run(AddonPostgresApplication.class, args);
    }
}
