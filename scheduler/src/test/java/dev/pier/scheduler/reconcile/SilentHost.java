package dev.pier.scheduler.reconcile;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A host whose machine lost its power or was cut off while a connection to it was open, as far as a client can
 * tell: it accepts connections and never answers, for the test's length. {@link #held} are the connections it took.
 */
final class SilentHost implements AutoCloseable {
    private final ServerSocket socket;
    final List<Socket> held = new CopyOnWriteArrayList<>();

    SilentHost() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    held.add(socket.accept()); // read nothing, answer nothing
                }
            } catch (IOException closed) {
                // the test is over
            }
        }, "silent-host");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket connection : held) {
            connection.close();
        }
    }
}
