package dev.pier.slugbuilder;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/** A tiny in-memory GET/PUT store that the builder and runner containers reach through the docker bridge. */
final class BlobServer implements AutoCloseable {
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private final HttpServer server;

    BlobServer(String bindAddress) throws IOException {
        server = HttpServer.create(new InetSocketAddress(bindAddress, 0), 16);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    void put(String path, byte[] body) {
        blobs.put(path, body);
    }

    byte[] get(String path) {
        return blobs.get(path);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        try (exchange; InputStream in = exchange.getRequestBody()) {
            switch (exchange.getRequestMethod()) {
                case "PUT" -> {
                    blobs.put(path, in.readAllBytes());
                    exchange.sendResponseHeaders(201, -1);
                }
                case "GET" -> {
                    byte[] body = blobs.get(path);
                    if (body == null) {
                        exchange.sendResponseHeaders(404, -1);
                    } else {
                        exchange.sendResponseHeaders(200, body.length);
                        exchange.getResponseBody().write(body);
                    }
                }
                default -> exchange.sendResponseHeaders(405, -1);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
