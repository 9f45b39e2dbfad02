package dev.pier.hostagent.job;

import dev.pier.api.HealthCheck;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Whether a job's published port is serving. Docker's userland proxy accepts connections on the published
 * port even while nothing listens inside the container, and then closes them at once; so a TCP check counts
 * a connection as accepted only when it is not closed straight away. An HTTP check wants the check's status (or
 * a 2xx). A TCP check waits for the connection as long as it is told ({@link HealthChecks}: an up job's check
 * timeout, 2 s unless the release says otherwise, since a fixed 300 ms crashed a healthy app on a loaded host;
 * 300 ms for a starting job); an HTTP check as long as its check's timeout.
 */
public final class HealthProbe {
    /** How long a connection accepted by the proxy is watched for being closed straight away. */
    private static final int CLOSED_AT_ONCE_MS = 150;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(60))
            .version(HttpClient.Version.HTTP_1_1).build();

    /**
     * Whether a connection to {@code host:port} is made within {@code timeout} and not closed straight away; when
     * not, what happened instead.
     */
    public PortFinding tcp(String host, int port, Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            socket.setSoTimeout(CLOSED_AT_ONCE_MS);
            InputStream in = socket.getInputStream();
            try {
                return in.read() >= 0 ? PortFinding.SERVES
                        : PortFinding.not("a connection to " + host + ":" + port + " was closed at once");
            } catch (SocketTimeoutException e) {
                return PortFinding.SERVES;
            }
        } catch (IOException e) {
            return PortFinding.not("a connection to " + host + ":" + port + " failed (" + what(e) + ")");
        }
    }

    /** Whether {@code GET path} answers as {@code check} wants, within the check's time limit; when not, what it did. */
    public PortFinding http(String host, int port, HealthCheck check) {
        String request = "GET http://" + host + ":" + port + check.path();
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port
                            + check.path())).timeout(check.timeout()).GET().build(), HttpResponse.BodyHandlers.discarding());
            return check.passes(response.statusCode()) ? PortFinding.SERVES
                    : PortFinding.not(request + " answered " + response.statusCode());
        } catch (IOException e) {
            return PortFinding.not(request + " failed (" + what(e) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return PortFinding.not(request + " was interrupted");
        }
    }

    /** An I/O failure in words: its message, else its kind (the HTTP client's refusals often have no message). */
    private static String what(IOException e) {
        return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    }
}
