package sample;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

public class Main {
    public static void main(String[] args) throws Exception {
        String asset;
        try (InputStream in = Main.class.getResourceAsStream("/static/greeting.txt")) {
            asset = in == null ? "no asset in the jar" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        byte[] body = ("hello from Java, serving an asset " + asset + "\n").getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress(Integer.getInteger("server.port", 8080)), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }
}
