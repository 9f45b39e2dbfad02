package dev.pier.addon.redis;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The Redis provider: a redis-server of its own per resource, each a system app on a volume (docs/addons-redis.md). */
// No database of its own, whatever JDBC the tests' class path brings (testkit): its records live on its Redis server.
@SpringBootApplication(excludeName = "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration")
@ConfigurationPropertiesScan
public class AddonRedisApplication {
    public static void main(String[] args) {
        SpringApplication.run(AddonRedisApplication.class, args);
    }
}
