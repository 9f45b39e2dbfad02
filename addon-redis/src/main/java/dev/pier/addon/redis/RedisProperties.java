package dev.pier.addon.redis;

import dev.pier.addon.kit.Settings;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code pier.addon-redis.*}, checked at start-up. Each resource is a redis-server of its own, a system app on the
 * controller published at a host port of {@code base-port .. base-port+port-count-1}.
 *
 * @param controllerUrl     the controller that runs the resources' apps
 * @param discoverdUrl      discoverd: where the resources' jobs are found and where this provider announces itself
 * @param image             the server's Docker image ({@code pier/redis:<recipe hash>}, docker/build-addons)
 * @param basePort          the first host port a resource's server is published at
 * @param portCount         how many ports from {@code base-port} the provider may use (at most that many resources)
 * @param memoryMb          each server job's memory limit
 * @param maxmemoryMb       each server's {@code maxmemory}, below the limit (Redis needs room beyond its data)
 * @param provisionWait     how long a provision waits for its server to be up (below the controller's
 *                          {@code pier.controller.provider-timeout})
 * @param volumeWait        how long a deprovision waits for the ended job to let go of its volume
 * @param serviceName       this provider's discoverd service
 * @param advertisedAddress its address there; empty: the bind address and the HTTP port
 */
@ConfigurationProperties("pier.addon-redis")
public record RedisProperties(URI controllerUrl, URI discoverdUrl, String image,
                              @DefaultValue("56379") int basePort, @DefaultValue("100") int portCount,
                              @DefaultValue("64") int memoryMb, @DefaultValue("48") int maxmemoryMb,
                              @DefaultValue("25s") Duration provisionWait, @DefaultValue("20s") Duration volumeWait,
                              @DefaultValue("pier-addon-redis") String serviceName,
                              @DefaultValue("") String advertisedAddress) {
    public RedisProperties {
        Settings settings = new Settings("pier.addon-redis");
        settings.port("base-port", basePort);
        if (portCount < 1 || basePort + portCount - 1 > 65535) {
            throw new IllegalArgumentException("pier.addon-redis.port-count must be at least 1 and keep the range "
                    + "within 65535, not " + portCount);
        }
        settings.memory("memory-mb", memoryMb);
        if (maxmemoryMb < 1 || maxmemoryMb >= memoryMb) {
            throw new IllegalArgumentException("pier.addon-redis.maxmemory-mb must be at least 1 and below memory-mb ("
                    + memoryMb + "), not " + maxmemoryMb);
        }
        settings.require("controller-url", controllerUrl);
        settings.require("discoverd-url", discoverdUrl);
        settings.require("image", image);
        if (provisionWait.isNegative() || provisionWait.isZero() || volumeWait.isNegative() || volumeWait.isZero()) {
            throw new IllegalArgumentException("pier.addon-redis.provision-wait and volume-wait must be positive");
        }
    }
}
