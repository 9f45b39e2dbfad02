package dev.pier.api.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pier.api.http.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small real add-on provider, served over HTTP on 127.0.0.1, for the tests of the controller and the CLI: it speaks the provider
 * API (docs/addons.md) with the cluster key and hands out config vars naming its resources (it keeps no database;
 * it stands for the external service a provider is). It can be told to answer every call with an error, as a
 * provider whose server is not up does.
 */
public final class TestProvider implements AutoCloseable {
    private final String key;
    private final List<String> envNames;
    private final HttpServer server;
    private final Map<String, Map<String, String>> resources = new ConcurrentHashMap<>();
    private final AtomicInteger provisions = new AtomicInteger();
    private final SecureRandom random = new SecureRandom();
    private volatile String failure;
    private volatile JsonNode lastConfig;

    public TestProvider(String key, String... envNames) throws IOException {
        this.key = key;
        this.envNames = List.of(envNames);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "test-provider");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/resources", this::handle);
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** From now, every call is answered 503 with {@code detail} (null: answer normally again). */
    public void failWith(String detail) {
        this.failure = detail;
    }

    /** The provider's ids of the resources it holds now. */
    public Set<String> held() {
        return Set.copyOf(resources.keySet());
    }

    /** How many provisions it has answered 201 to. */
    public int provisions() {
        return provisions.get();
    }

    public JsonNode lastConfig() {
        return lastConfig;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!("Bearer " + key).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                problem(exchange, 401, "the cluster key is missing or wrong");
                return;
            }
            if (failure != null) {
                problem(exchange, 503, failure);
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (path.equals("/resources") && method.equals("POST")) {
                try (InputStream in = exchange.getRequestBody()) {
                    byte[] body = in.readAllBytes();
                    lastConfig = body.length == 0 ? null : Json.mapper().readTree(body).path("config");
                }
                String id = "r" + provisions.incrementAndGet() + "-" + HexFormat.of().formatHex(random.generateSeed(4));
                Map<String, String> env = new LinkedHashMap<>();
                String secret = HexFormat.of().formatHex(random.generateSeed(8));
                for (String name : envNames) {
                    env.put(name, "test://u_" + id + ":" + secret + "@127.0.0.1:5432/" + name.toLowerCase() + "_" + id);
                }
                resources.put(id, env);
                json(exchange, 201, Map.of("id", id, "env", env));
                return;
            }
            if (path.startsWith("/resources/") && path.indexOf('/', "/resources/".length()) < 0) {
                String id = path.substring("/resources/".length());
                Map<String, String> env = resources.get(id);
                if (env == null) {
                    problem(exchange, 404, "no resource " + id);
                } else if (method.equals("GET")) {
                    json(exchange, 200, Map.of("id", id, "env", env));
                } else if (method.equals("DELETE")) {
                    resources.remove(id);
                    exchange.sendResponseHeaders(204, -1);
                } else {
                    problem(exchange, 405, method + " is not allowed here");
                }
                return;
            }
            problem(exchange, 404, "no such path " + path);
        }
    }

    private static void json(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = Json.mapper().writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void problem(HttpExchange exchange, int status, String detail) throws IOException {
        byte[] bytes = Json.mapper().writeValueAsString(Map.of("type", "about:blank", "title", "Problem",
                "status", status, "detail", detail)).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
