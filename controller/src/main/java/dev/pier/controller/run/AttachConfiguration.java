package dev.pier.controller.run;

import dev.pier.api.Job;
import dev.pier.api.host.HostAgentClient;
import dev.pier.controller.cluster.ClusterHosts;
import dev.pier.controller.job.JobService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/** Registers the attach WebSocket ({@link AttachEndpoint}) over the controller's jobs and hosts. */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
public class AttachConfiguration implements WebSocketConfigurer, DisposableBean {
    /**
     * Waits for jobs' ends and stops jobs whose client left. Not a bean: an executor bean would displace Spring
     * Boot's task executor, which streaming responses use.
     */
    private final ExecutorService attachWorkers = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "pier-attach");
        thread.setDaemon(true);
        return thread;
    });
    private final AttachEndpoint endpoint;

    public AttachConfiguration(JobService jobs, ClusterHosts hosts, OneOffJobs oneOffJobs) {
        this.endpoint = new AttachEndpoint(new AttachRelay.Cluster() {
            @Override
            public Job job(String app, String jobId) {
                return jobs.get(app, jobId);
            }

            @Override
            public HostAgentClient agent(String hostId) {
                return hosts.agents("attaching to jobs").get(hostId);
            }

            @Override
            public void stop(String app, String jobId) {
                oneOffJobs.stop(app, jobId);
            }
        }, attachWorkers);
    }

    @Override
    public void destroy() {
        attachWorkers.shutdownNow();
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(endpoint, AttachEndpoint.PATH);
    }
}
