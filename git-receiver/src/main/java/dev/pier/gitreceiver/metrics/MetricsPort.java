package dev.pier.gitreceiver.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pier.api.discoverd.DiscoverdClient;
import dev.pier.api.discoverd.MetricsAnnouncement;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.Executors;

/**
 * The receiver's {@code GET /metrics} (Prometheus text, behind the cluster key unless {@code pier.metrics.public})
 * and {@code GET /health}, on the JDK's small HTTP server; announced in discoverd as {@code pier-git-receiver} when
 * a discoverd URL is given.
 */
public final class MetricsPort implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(MetricsPort.class.getName());
    private final HttpServer server;
    private final byte[] expected;
    private final boolean open;
    private final PrometheusMeterRegistry registry;
    private DiscoverdClient discoverd;

    public MetricsPort(String bindAddress, int port, PrometheusMeterRegistry registry, String clusterKey,
            boolean open) throws IOException {
        this.registry = registry;
        this.expected = ("Bearer " + clusterKey).getBytes(StandardCharsets.UTF_8);
        this.open = open;
        this.server = HttpServer.create(new InetSocketAddress(bindAddress, port), 16);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "pier-metrics-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Announces {@code address} (host:port) in discoverd; nothing when {@code discoverdUrl} is blank. */
    public void announce(String discoverdUrl, String clusterKey, String address) {
        if (discoverdUrl == null || discoverdUrl.isBlank()) {
            return;
        }
        discoverd = new DiscoverdClient(URI.create(discoverdUrl.strip()), clusterKey);
        MetricsAnnouncement.announce(discoverd, "pier-git-receiver", address);
        LOG.log(System.Logger.Level.INFO, "event=metrics-announced service=pier-git-receiver address=" + address);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!exchange.getRequestMethod().equals("GET")) {
                send(exchange, 405, "application/problem+json", problem(405, "Method Not Allowed", "only GET"));
            } else if (path.equals("/health")) {
                send(exchange, 200, "application/json", "{\"status\":\"ok\"}");
            } else if (!path.equals("/metrics")) {
                send(exchange, 404, "application/problem+json", problem(404, "Not Found", "no " + path + " here"));
            } else if (!open && !keyGiven(exchange)) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                send(exchange, 401, "application/problem+json", problem(401, "Unauthorized",
                        "this endpoint needs the cluster key: send 'Authorization: Bearer <key>'"));
            } else {
                send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
            }
        }
    }

    private boolean keyGiven(HttpExchange exchange) {
        String given = exchange.getRequestHeaders().getFirst("Authorization");
        return given != null && MessageDigest.isEqual(given.strip().getBytes(StandardCharsets.UTF_8), expected);
    }

    private static String problem(int status, String title, String detail) {
        return "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\""
                + detail.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        if (discoverd != null) {
            discoverd.close();
        }
        server.stop(0);
    }
}
