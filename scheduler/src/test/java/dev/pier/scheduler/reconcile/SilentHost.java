package dev.pier.scheduler.reconcile;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A host whose machine lost its power or was cut off while a connection to it was open, as far as a client can
 * tell: it accepts connections and never answers, for the test's length; or ({@link #answeringHalf}) one that lost
 * it while it answered: it reads a request, sends the answer's headers and the first bytes of its body, and nothing
 * more. {@link #held} are the connections it took.
 */
final class SilentHost implements AutoCloseable {
    private final ServerSocket socket;
    final List<Socket> held = new CopyOnWriteArrayList<>();

    SilentHost() throws IOException {
        this(false);
    }

    /** A host that sends the headers of its answer and the first bytes of its body, and nothing more. */
    static SilentHost answeringHalf() throws IOException {
        return new SilentHost(true);
    }

    private SilentHost(boolean answersHalf) throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    Socket connection = socket.accept();
                    held.add(connection);
                    if (answersHalf) {
                        answerHalf(connection);
                    } // else read nothing, answer nothing
                }
            } catch (IOException closed) {
                // the test is over
            }
        }, "silent-host");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private static void answerHalf(Socket connection) throws IOException {
        InputStream in = connection.getInputStream();
        byte[] request = new byte[8192];
        int read = 0;
        while (read < request.length) { // the request's headers, up to their blank line
            int n = in.read(request, read, request.length - read);
            if (n < 0 || new String(request, 0, read + n, StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                break;
            }
            read += n;
        }
        OutputStream out = connection.getOutputStream();
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n{\"hosts\":[")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
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
