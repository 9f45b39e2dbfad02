package dev.pier.addon.redis;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The Redis provider: a redis-server of its own per resource, each a system app on a volume (docs/addons-redis.md). */
// No database of its own, whatever JDBC the tests' class path brings (testkit): its records live on its Redis server.
@SpringBootApplication(excludeName = "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration")
@ConfigurationPropertiesScan
public class AddonRedisApplication {
    public static void main(String[] args) {
        application().run(args);
    }

    /** The Redis provider as an application, alone (main) or beside the rest of Layer 1 in one JVM (pier-platform). */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(AddonRedisApplication.class).main(AddonRedisApplication.class);
    }
}
