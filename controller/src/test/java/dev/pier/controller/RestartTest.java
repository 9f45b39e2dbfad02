package dev.pier.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.App;
import dev.pier.api.Event;
import dev.pier.api.NewApp;
import dev.pier.api.controller.ControllerClient;
import dev.pier.testkit.FreePorts;
import dev.pier.testkit.PostgresServer;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Data survives a controller restart: a second controller process on the same database sees it all. */
class RestartTest {

    private static ConfigurableApplicationContext start(String database, int port) {
        return new SpringApplicationBuilder(ControllerApplication.class).run(
                "--server.port=" + port, "--server.address=127.0.0.1",
                "--spring.datasource.url=" + database, "--spring.datasource.username=" + PostgresServer.USER,
                "--pier.cluster-key=restart-key");
    }

    @Test
    void dataSurvivesARestart() {
        String database = PostgresServer.shared().newDatabase();
        int port = FreePorts.next();
        ControllerClient client = new ControllerClient(URI.create("http://127.0.0.1:" + port), "restart-key");
        App app;
        long lastEvent;
        try (ConfigurableApplicationContext first = start(database, port)) {
            app = client.createApp(NewApp.named("survivor"));
            client.changeEnv("survivor", Map.of("DB", "postgres"));
            lastEvent = client.events(null, Set.of(), null, 1).get(0).id();
        }
        try (ConfigurableApplicationContext second = start(database, port)) {
            assertThat(client.app("survivor")).isEqualTo(client.apps().get(0)).satisfies(a ->
                    assertThat(a.id()).isEqualTo(app.id()));
            assertThat(client.env("survivor")).containsExactly(Map.entry("DB", "postgres"));
            assertThat(client.routes("survivor")).hasSize(1);
            assertThat(client.events(null, Set.of(), null, 1000)).extracting(Event::id).contains(lastEvent);
            client.changeEnv("survivor", Map.of("AFTER", "restart"));
            assertThat(client.events(null, Set.of(), lastEvent, 1000)).isNotEmpty()
                    .allMatch(e -> e.id() > lastEvent);
        }
    }
}
