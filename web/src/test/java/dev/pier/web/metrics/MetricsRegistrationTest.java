package dev.pier.web.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.boot.web.server.WebServer;
import org.springframework.context.ConfigurableApplicationContext;

/** The announcement of a service's {@code /metrics} never ends the service it announces. */
class MetricsRegistrationTest {
    @Test
    void anAnnouncementDiscoverdRefusesLeavesTheServiceRunning() throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        HttpServer discoverd = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        discoverd.createContext("/", exchange -> {
            asked.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            byte[] body = "{\"title\":\"Bad Request\",\"status\":400,\"detail\":\"refused\"}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
            exchange.sendResponseHeaders(400, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        discoverd.start();
        try (MetricsRegistration registration = new MetricsRegistration(new PierMetricsProperties(false,
                URI.create("http://127.0.0.1:" + discoverd.getAddress().getPort()), null), "pier-test", "key",
                "127.0.0.1")) {
            WebServer server = Mockito.mock(WebServer.class);
            Mockito.when(server.getPort()).thenReturn(8399);
            WebServerApplicationContext context = Mockito.mock(WebServerApplicationContext.class);
            Mockito.when(context.getServerNamespace()).thenReturn(null);
            WebServerInitializedEvent started = new WebServerInitializedEvent(server) {
                @Override
                public WebServerApplicationContext getApplicationContext() {
                    return context;
                }
            };
            registration.onApplicationEvent(started);
            ApplicationReadyEvent ready = new ApplicationReadyEvent(new SpringApplication(), new String[0],
                    Mockito.mock(ConfigurableApplicationContext.class), null);
            assertThatCode(() -> registration.onApplicationEvent(ready)).doesNotThrowAnyException();
            assertThat(asked).as("it did ask").anyMatch(request -> request.startsWith("PUT /services/pier-metrics/"));
        } finally {
            discoverd.stop(0);
        }
    }
}
