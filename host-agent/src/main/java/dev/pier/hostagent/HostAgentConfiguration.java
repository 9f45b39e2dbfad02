package dev.pier.hostagent;

import com.github.dockerjava.api.DockerClient;
import dev.pier.api.discoverd.DiscoverdClient;
import dev.pier.api.http.PierApiException;
import dev.pier.hostagent.discovery.Discovery;
import dev.pier.web.fence.LeaderFence;
import dev.pier.hostagent.discovery.DiscoverdDiscovery;
import dev.pier.hostagent.job.JobSupervisor;
import dev.pier.hostagent.metrics.JobMetrics;
import dev.pier.hostagent.metrics.JobStatsProperties;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.springframework.beans.factory.ObjectProvider;
import dev.pier.hostagent.runtime.ContainerRuntime;
import dev.pier.hostagent.runtime.DockerContainerRuntime;
import dev.pier.hostagent.runtime.Sandboxes;
import dev.pier.hostagent.sandbox.NetworkSandboxes;
import dev.pier.hostagent.sandbox.SandboxProperties;
import dev.pier.hostagent.cluster.HostLeader;
import dev.pier.hostagent.cluster.HostProbe;
import dev.pier.hostagent.cluster.TcpHostProbe;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Wires the agent: Docker runtime, discovery, and the job supervisor. */
@Configuration(proxyBeanMethods = false)
public class HostAgentConfiguration {

    @Bean(destroyMethod = "close")
    DockerClient dockerClient(HostAgentProperties properties) {
        return DockerContainerRuntime.client(properties.dockerHost());
    }

    @Bean
    ContainerRuntime containerRuntime(DockerClient docker, HostAgentProperties properties, Sandboxes sandboxes) {
        return new DockerContainerRuntime(docker, URI.create(properties.dockerHost()), properties.hostId(),
                properties.bindAddress()).withSandboxes(sandboxes);
    }

    /**
     * The host's network sandboxes ({@code pier.host-agent.sandboxes.*}); none when the size is 0. Opened before
     * the runtime's first job, closed after the supervisor (the idle ones removed).
     */
    @Bean(destroyMethod = "close")
    Sandboxes sandboxes(DockerClient docker, HostAgentProperties properties, SandboxProperties sandboxes) {
        try {
            docker.pingCmd().exec();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot reach the Docker engine at " + properties.dockerHost()
                    + " (pier.host-agent.docker-host): " + e.getMessage(), e);
        }
        sandboxes.memoryForJobs(properties.totalMemoryMb()); // fails start-up when the pool leaves jobs too little
        if (!sandboxes.any()) {
            return Sandboxes.NONE;
        }
        return new NetworkSandboxes(docker, properties.hostId(), properties.bindAddress(), sandboxes,
                Clock.systemUTC()).open();
    }

    /** The URL other services reach this agent on: {@code advertised-url}, else the bind address and port. */
    static URI url(HostAgentProperties properties, Environment environment) {
        if (properties.advertisedUrl() != null) {
            return properties.advertisedUrl();
        }
        String port = environment.getProperty("server.port", "8320");
        String address = environment.getProperty("server.address", "127.0.0.1");
        return URI.create("http://" + address + ":" + port);
    }

    /**
     * Discovery: discoverd when {@code pier.host-agent.discoverd-url} is set, else none (a lone agent leading
     * itself). A test may register its own before start-up.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    Discovery discovery(HostAgentProperties properties, Environment environment) {
        if (properties.discoverdUrl() == null) {
            return Discovery.NONE;
        }
        return new DiscoverdDiscovery(properties.discoverdUrl(), environment.getRequiredProperty("pier.cluster-key"),
                properties.discoverdTtl(), properties.hostTtl());
    }

    /**
     * Fencing of the scheduler leader's starts, stops and removals: the current leader is read through discoverd
     * (a quorum read of etcd). Without a discoverd nobody can be confirmed, so a fenced request is refused.
     */
    @Bean
    LeaderFence leaderFence(ObjectProvider<DiscoverdClient> discoverd) {
        DiscoverdClient client = discoverd.getIfAvailable();
        if (client == null) {
            return new LeaderFence(service -> {
                throw new PierApiException(503, "Service Unavailable", "this host agent has no discoverd "
                        + "(pier.host-agent.discoverd-url) to read the leader of " + service + " from", null);
            });
        }
        return new LeaderFence(client::leader);
    }

    /**
     * A discoverd client of the agent's own (for fencing), when {@code pier.host-agent.discoverd-url} is set to a
     * URL. Set empty it means none, as for the discovery above: the class-data training run of {@code bin/pier-dev}
     * gives it so, and a client made of it failed the agent's start ("base"), so host agents started without their
     * archive.
     */
    @Bean(destroyMethod = "close")
    @org.springframework.boot.autoconfigure.condition.ConditionalOnExpression(
            "!'${pier.host-agent.discoverd-url:}'.isBlank()")
    DiscoverdClient fenceDiscoverdClient(HostAgentProperties properties, Environment environment) {
        return new DiscoverdClient(properties.discoverdUrl(), environment.getRequiredProperty("pier.cluster-key"));
    }

    /**
     * How the host leader probes a host discovery stopped listing (a TCP connection, 1 s at most): a machine that
     * does not answer at all is lost at once, one that answers or refuses keeps its lease (docs/scheduler.md,
     * "How fast a lost machine's jobs move"). A test may register its own before start-up.
     */
    @Bean
    @ConditionalOnMissingBean
    HostProbe hostProbe() {
        return new TcpHostProbe(Duration.ofSeconds(1));
    }

    @Bean(initMethod = "open", destroyMethod = "close")
    HostLeader hostLeader(Discovery discovery, JobSupervisor supervisor, HostAgentProperties properties,
                          Environment environment, HostProbe probe) {
        return new HostLeader(discovery, supervisor::host, environment.getRequiredProperty("pier.cluster-key"),
                Clock.systemUTC(), Duration.ofSeconds(1), properties.discoverdTtl(), probe, properties.standbyCopyEvery());
    }

    /** This host's jobs' CPU and memory (Docker's stats) and exits, in {@code /metrics}. */
    @Bean(destroyMethod = "close")
    JobMetrics jobMetrics(JobSupervisor supervisor, ContainerRuntime runtime, JobStatsProperties stats,
            ObjectProvider<PrometheusRegistry> prometheus) {
        JobMetrics metrics = new JobMetrics(supervisor, runtime);
        prometheus.ifAvailable(registry -> registry.register(metrics)); // absent when metrics export is off
        metrics.start(stats.interval());
        return metrics;
    }

    @Bean(initMethod = "open", destroyMethod = "close")
    JobSupervisor jobSupervisor(ContainerRuntime runtime, HostAgentProperties properties, Discovery discovery,
                                Environment environment, SandboxProperties sandboxes, Sandboxes pool) {
        JobSupervisor supervisor = new JobSupervisor(runtime, new JobSupervisor.Settings(properties.hostId(),
                url(properties, environment).toString(), properties.bindAddress(), properties.ports(),
                sandboxes.memoryForJobs(properties.totalMemoryMb()), properties.stopGrace(), properties.drain(), properties.healthTimeout(),
                properties.healthInterval(), properties.attachTimeout(), properties.jobAddress()),
                discovery,
                Clock.systemUTC());
        // web jobs start in sandboxes that publish a port of the job table's range, reserved for them
        supervisor.useWebSandboxes(pool);
        return supervisor;
    }
}
