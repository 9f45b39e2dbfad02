package dev.pier.hostagent.attach;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.hostagent.job.JobSupervisor;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/** Registers the attach WebSocket; the cluster key filter guards its upgrade request like any other. */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
public class AttachConfiguration implements WebSocketConfigurer {
    private final JobSupervisor supervisor;
    private final ObjectMapper json;

    public AttachConfiguration(JobSupervisor supervisor, ObjectMapper json) {
        this.supervisor = supervisor;
        this.json = json;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(new AttachHandler(supervisor, json), "/jobs/*/attach");
    }
}
