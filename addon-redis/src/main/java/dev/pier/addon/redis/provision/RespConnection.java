package dev.pier.addon.redis.provision;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One connection to a Redis server speaking RESP2, as much of it as the provider uses: a command is an array of
 * bulk strings; a reply is a simple string, an integer ({@link Long}), a bulk string (null when absent) or an array
 * of replies; an error reply is thrown as {@link RedisError}. Not thread-safe: one caller at a time.
 */
public final class RespConnection implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RespConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects to {@code host:port} (5 s to connect, 30 s per reply) and, with a password, authenticates. */
    public static RespConnection open(String address, String user, String password) throws IOException {
        int colon = address.lastIndexOf(':');
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(address.substring(0, colon),
                    Integer.parseInt(address.substring(colon + 1))), 5000);
            socket.setSoTimeout(30_000);
            RespConnection connection = new RespConnection(socket);
            if (password != null) {
                if (user == null) {
                    connection.call("AUTH", password);
                } else {
                    connection.call("AUTH", user, password);
                }
            }
            return connection;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends one command and answers its reply. */
    public Object call(String... command) throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("*" + command.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String part : command) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            request.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            request.writeBytes(bytes);
            request.writeBytes(new byte[] {'\r', '\n'});
        }
        out.write(request.toByteArray());
        out.flush();
        return read();
    }

    /** A command whose reply is a bulk string, or null. */
    public String string(String... command) throws IOException {
        return (String) call(command);
    }

    private Object read() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("the Redis server closed the connection");
        }
        String line = line();
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new RedisError(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                byte[] bytes = in.readNBytes(length + 2);
                if (bytes.length < length + 2) {
                    throw new EOFException("the Redis server closed the connection in a reply");
                }
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    try {
                        items.add(read());
                    } catch (RedisError e) {
                        items.add(e); // an error inside an array (EXEC) is an item, not the reply
                    }
                }
                return items;
            }
            default:
                throw new IOException("not a RESP reply from the Redis server (type byte " + type + ")");
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\r') {
            if (b < 0) {
                throw new EOFException("the Redis server closed the connection in a reply");
            }
            line.write(b);
        }
        if (in.read() != '\n') {
            throw new IOException("a RESP line from the Redis server does not end in CRLF");
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
