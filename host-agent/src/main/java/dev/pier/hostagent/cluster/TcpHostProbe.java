package dev.pier.hostagent.cluster;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * A TCP connection to the host agent's port, opened and closed (no request is sent): accepted means the agent
 * listens, refused means its machine is up but the agent is not, and no answer within {@code timeout} (or no
 * route to it) means the machine itself does not answer. The kernel completes a connection to a listening socket
 * even while the process behind it is paused, so a slow or stalled agent counts as answering.
 */
public final class TcpHostProbe implements HostProbe {
    private final Duration timeout;

    public TcpHostProbe(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public Reach reach(String url) {
        InetSocketAddress address;
        try {
            URI uri = URI.create(url);
            int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
            if (uri.getHost() == null) {
                return Reach.UNKNOWN;
            }
            address = new InetSocketAddress(uri.getHost(), port);
        } catch (IllegalArgumentException e) {
            return Reach.UNKNOWN;
        }
        if (address.isUnresolved()) {
            return Reach.UNKNOWN;
        }
        try (Socket socket = new Socket()) {
            socket.connect(address, (int) timeout.toMillis());
            return Reach.ANSWERS;
        } catch (ConnectException e) {
            // ECONNREFUSED; the JDK gives the kernel's own ETIMEDOUT as a ConnectException too
            String message = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
            return message.contains("refused") ? Reach.REFUSED : Reach.UNREACHABLE;
        } catch (SocketTimeoutException | NoRouteToHostException e) {
            return Reach.UNREACHABLE;
        } catch (UnknownHostException e) {
            return Reach.UNKNOWN;
        } catch (IOException e) {
            // "Network is unreachable" and the like: nothing on the way answers for the machine
            return Reach.UNREACHABLE;
        }
    }
}
