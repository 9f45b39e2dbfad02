package dev.pier.hostagent.job;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Whether a port of this host is free for a job now: nothing else (another program, another agent) has it bound.
 * Asked of the operating system by binding it for a moment.
 */
final class FreePorts {
    private final String bindAddress;
    private final String jobAddress;

    /** {@code jobAddress}: where a fixed port is published too (when it differs from the bind address). */
    FreePorts(String bindAddress, String jobAddress) {
        this.bindAddress = bindAddress;
        this.jobAddress = jobAddress;
    }

    /** A port of the range is published on the bind address only. */
    boolean onBindAddress(int port) {
        return bindable(bindAddress, port);
    }

    /** A fixed port is published on the bind address and the job address: both must be free. */
    boolean onEveryAddress(int port) {
        return bindable(bindAddress, port) && (jobAddress.equals(bindAddress) || bindable(jobAddress, port));
    }

    private static boolean bindable(String address, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(address), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
