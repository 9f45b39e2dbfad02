package dev.pier.api.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A server on 127.0.0.1 that hands each connection, one at a time, to a test's {@link Conversation}: for answers no
 * real server gives (none at all, half of one). The connection is closed when the conversation returns.
 */
public final class RawHttpServer implements AutoCloseable {
    /** What the server does with one connection. */
    public interface Conversation {
        void with(Socket socket) throws IOException;
    }

    private final ServerSocket server;

    private RawHttpServer(ServerSocket server) {
        this.server = server;
    }

    public static RawHttpServer start(String name, Conversation conversation) throws IOException {
        RawHttpServer raw = new RawHttpServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        Thread acceptor = new Thread(() -> raw.serve(conversation), name);
        acceptor.setDaemon(true);
        acceptor.start();
        return raw;
    }

    private void serve(Conversation conversation) {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                conversation.with(socket);
            } catch (IOException e) {
                // the client hung up, or the test closed the server
            }
        }
    }

    /** The request's line and headers, read up to the blank line that ends them. */
    public static List<String> readHead(BufferedReader in) throws IOException {
        List<String> head = new ArrayList<>();
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            head.add(line);
        }
        return head;
    }

    /** A reader of {@code socket}'s request, byte for character. */
    public static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
    }

    public int port() {
        return server.getLocalPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
