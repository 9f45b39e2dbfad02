package dev.pier.addon.redis;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The Redis provider: ACL users for apps on a Redis server it runs as a system app (docs/addons-redis.md). */
// No database of its own, whatever JDBC the tests' class path brings (testkit): its records live on its Redis server.
@SpringBootApplication(excludeName = "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration")
@ConfigurationPropertiesScan
public class AddonRedisApplication {
    public static void main(String[] args) {
        SpringApplication.run(AddonRedisApplication.class, args);
    }
}
