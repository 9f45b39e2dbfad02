package dev.pier.contract;

import dev.pier.controller.ControllerApplication;
import dev.pier.testkit.PostgresServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Writes the controller's OpenAPI document to a file, as the controller serves it: boots the controller on a
 * throwaway PostgreSQL database and a free port, reads {@code /openapi.json}, stops. Run by the build
 * ({@code process-classes}) so that OpenAPI Generator can make a client from the document of this very build: a new
 * endpoint or record shows up in the generated client with no step by hand.
 */
public final class ControllerDocument {
    private ControllerDocument() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: ControllerDocument <output file>");
            System.exit(2);
        }
        try {
            write(Path.of(args[0]));
        } catch (Exception e) {
            System.err.println("could not get the controller's OpenAPI document: " + e);
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0); // the shared PostgreSQL stops in its shutdown hook
    }

    private static void write(Path output) throws Exception {
        String key = UUID.randomUUID().toString();
        String database = PostgresServer.shared().newDatabase();
        // as arguments: they come before application.properties, default properties after it
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ControllerApplication.class).run(
                "--server.port=0", "--server.address=127.0.0.1", "--pier.cluster-key=" + key,
                "--spring.datasource.url=" + database, "--spring.datasource.username=" + PostgresServer.USER,
                "--spring.main.banner-mode=off", "--logging.level.root=WARN")) {
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            long start = System.nanoTime();
            // its first request builds the document: seconds on an idle machine, more on a loaded one
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/openapi.json"))
                            .header("Authorization", "Bearer " + key).timeout(Duration.ofMinutes(3)).build(),
                    HttpResponse.BodyHandlers.ofString());
            long millis = (System.nanoTime() - start) / 1_000_000;
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET /openapi.json answered " + response.statusCode() + ": "
                        + response.body());
            }
            Files.createDirectories(output.toAbsolutePath().getParent());
            Files.writeString(output, response.body());
            System.out.println("controller OpenAPI document: " + output + " (" + response.body().length() + " chars, "
                    + millis + " ms)");
        }
    }
}
