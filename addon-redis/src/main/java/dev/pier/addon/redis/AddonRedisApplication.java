package dev.pier.addon.redis;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The Redis provider: ACL users for apps on a Redis server it runs as a system app (docs/addons-redis.md). */
@SpringBootApplication(excludeName = {
        "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
        "org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration"})
@ConfigurationPropertiesScan
public class AddonRedisApplication {
    public static void main(String[] args) {
        SpringApplication.run(AddonRedisApplication.class, args);
    }
}
