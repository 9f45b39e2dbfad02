package dev.pier.addon.postgres;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The PostgreSQL provider: databases for apps on a PostgreSQL server it runs as a system app (docs/addons.md). */
// No database of its own, whatever is on the class path (the tests' has the controller's JPA and Flyway): its records
// live on the server it runs, reached by plain JDBC.
@SpringBootApplication(excludeName = {
        "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
        "org.springframework.boot.autoconfigure.orm.jpa.HibernateJpaAutoConfiguration",
        "org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration"})
@ConfigurationPropertiesScan
public class AddonPostgresApplication {
    public static void main(String[] args) {
        application().run(args);
    }

    /** The PostgreSQL provider as an application, alone (main) or beside the rest of Layer 1 in one JVM (pier-platform). */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(AddonPostgresApplication.class).main(AddonPostgresApplication.class);
    }
}
