package dev.pier.hostagent.runtime;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * A container's stdin as its own attach to the engine ({@code POST /containers/{id}/attach?stream=1&stdin=1},
 * upgraded to a raw stream), so that the end of the input can be told: {@link #end} half-closes the connection,
 * and the engine closes the container's stdin (the container is created with {@code StdinOnce}), which is how
 * {@code echo data | pier run cat} ends. docker-java's attach copies a stdin stream but never half-closes its
 * connection, hence this small client. Speaks to {@code unix://} and {@code tcp://} engine addresses.
 */
final class StdinStream implements Closeable {
    private static final int MAX_HEAD = 16 * 1024;

    private final SocketChannel channel;

    private StdinStream(SocketChannel channel) {
        this.channel = channel;
    }

    /** Attaches to {@code container}'s stdin on the engine at {@code dockerHost}, with API {@code apiVersion}. */
    static StdinStream open(URI dockerHost, String apiVersion, String container) throws IOException {
        SocketChannel channel = connect(dockerHost);
        try {
            String request = "POST /v" + apiVersion + "/containers/" + container + "/attach?stream=1&stdin=1 HTTP/1.1\r\n"
                    + "Host: docker\r\nContent-Length: 0\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n";
            writeFully(channel, request.getBytes(StandardCharsets.US_ASCII));
            String head = readHead(Channels.newInputStream(channel));
            String status = head.lines().findFirst().orElse("");
            if (!status.matches("HTTP/1\\.[01] (101|200) .*")) {
                throw new IOException("the engine refused to attach to " + container + "'s stdin: " + status);
            }
            return new StdinStream(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static SocketChannel connect(URI dockerHost) throws IOException {
        return switch (String.valueOf(dockerHost.getScheme())) {
            case "unix" -> {
                SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                channel.connect(UnixDomainSocketAddress.of(dockerHost.getPath()));
                yield channel;
            }
            case "tcp", "http" -> SocketChannel.open(new InetSocketAddress(dockerHost.getHost(), dockerHost.getPort()));
            default -> throw new IOException("cannot attach to stdin through " + dockerHost
                    + ": only unix:// and tcp:// engines are supported");
        };
    }

    /** The response's status line and headers, up to the blank line; what follows is the raw stream. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0 || head.size() >= MAX_HEAD) {
                throw new IOException("the engine's answer to the stdin attach ended early or was too long");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static void writeFully(SocketChannel channel, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    synchronized void write(byte[] bytes) throws IOException {
        writeFully(channel, bytes);
    }

    /** The input has ended: the container's stdin is closed (its reader sees end of file). */
    synchronized void end() throws IOException {
        if (channel.isOpen()) {
            channel.shutdownOutput();
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
