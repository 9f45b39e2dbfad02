package dev.pier.discoverd;

import dev.pier.discoverd.registry.Keys;
import dev.pier.discoverd.registry.Registry;
import dev.pier.discoverd.watch.Mirror;
import io.etcd.jetcd.Client;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.web.servlet.config.annotation.AsyncSupportConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Wires discoverd's etcd client, registry and mirror, and gives every watch stream a thread of its own. */
@Configuration(proxyBeanMethods = false)
public class EtcdConfiguration implements WebMvcConfigurer {

    @Bean(destroyMethod = "close")
    public Client etcd(DiscoverdProperties properties) {
        return Client.builder().endpoints(properties.etcdEndpoints().toArray(String[]::new)).build();
    }

    @Bean
    public Keys keys(DiscoverdProperties properties) {
        return new Keys(properties.keyPrefix());
    }

    @Bean
    public Registry registry(Client etcd, Keys keys, DiscoverdProperties properties,
            ObjectProvider<io.micrometer.core.instrument.MeterRegistry> meters) {
        return new Registry(etcd, keys, properties, meters.getIfAvailable());
    }

    /** Instances and watches per service, and events delivered, in {@code /metrics}. */
    @Bean
    public dev.pier.discoverd.watch.MirrorMetrics mirrorMetrics(Mirror mirror,
            ObjectProvider<io.prometheus.metrics.model.registry.PrometheusRegistry> prometheus) {
        dev.pier.discoverd.watch.MirrorMetrics metrics = new dev.pier.discoverd.watch.MirrorMetrics(mirror);
        prometheus.ifAvailable(registry -> registry.register(metrics)); // absent when metrics export is off
        return metrics;
    }

    @Bean
    public Mirror mirror(Client etcd, Keys keys, DiscoverdProperties properties) {
        return new Mirror(etcd, keys, properties.etcdTimeout(), properties.defaultTtl(), java.time.Clock.systemUTC());
    }

    @Override
    public void configureAsyncSupport(AsyncSupportConfigurer configurer) {
        SimpleAsyncTaskExecutor streams = new SimpleAsyncTaskExecutor("discoverd-stream-");
        streams.setConcurrencyLimit(2000);
        streams.setDaemon(true);
        configurer.setTaskExecutor(streams);
        configurer.setDefaultTimeout(-1);
    }

}
