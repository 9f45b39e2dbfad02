package hello;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

public class Main {
    public static void main(String[] args) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(Integer.getInteger("server.port", 8080)), 0);
        server.createContext("/", exchange -> {
            // a record: Java 16 and later only, so the release flag did its work
            record Greeting(String text, int javaVersion) { }
            Greeting greeting = new Greeting("hello from a plain Maven jar", Runtime.version().feature());
            byte[] body = (greeting.text() + " on Java " + greeting.javaVersion() + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        System.out.println("listening on " + server.getAddress().getPort());
    }
}
