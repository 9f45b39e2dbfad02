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
 * a 2xx).
 */
public final class HealthProbe {
    private static final int TIMEOUT_MS = 300;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(TIMEOUT_MS))
            .version(HttpClient.Version.HTTP_1_1).build();

    public boolean tcp(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
            socket.setSoTimeout(150);
            InputStream in = socket.getInputStream();
            try {
                return in.read() >= 0;
            } catch (SocketTimeoutException e) {
                return true;
            }
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether {@code GET path} answers as {@code check} wants, within the check's time limit. */
    public boolean http(String host, int port, HealthCheck check) {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port
                            + check.path())).timeout(check.timeout()).GET().build(), HttpResponse.BodyHandlers.discarding());
            return check.passes(response.statusCode());
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
