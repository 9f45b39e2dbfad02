package dev.pier.api.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A server on 127.0.0.1 that hands each connection, one at a time, to a test's {@link Conversation}: for answers no
 * real server gives (none at all, half of one). The connection is closed when the conversation returns.
 */
final class RawHttpServer implements AutoCloseable {
    /** What the server does with one connection. */
    interface Conversation {
        void with(Socket socket) throws IOException;
    }

    private final ServerSocket server;

    private RawHttpServer(ServerSocket server) {
        this.server = server;
    }

    static RawHttpServer start(String name, Conversation conversation) throws IOException {
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

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
