package dev.pier.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports on the loopback interface, so tests can run again and beside each other.
 *
 * <p>They are handed out below the kernel's ephemeral range ({@code net.ipv4.ip_local_port_range}, 32768 up by
 * default), never from it: a port the kernel chose for a bind to port 0 is one any outgoing connection may take as
 * its local port before the test's server binds it, and a cluster's services bind minutes after the pick (seen: a
 * host agent refused "Port 47148 was already in use" after a 5-minute boot on a busy machine). Below that range only
 * another listener can take a port, and each one handed out is checked to be bindable and is never handed out twice
 * by this JVM.
 */
public final class FreePorts {
    /** The lowest port handed out. */
    static final int LOWEST = 20000;
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final int ATTEMPTS = 1000;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    public static int next() {
        return run(1);
    }

    /** The first of {@code count} consecutive free ports (a service that listens on PORT to PORT + count - 1). */
    public static int run(int count) {
        int end = Math.min(ephemeralLow(), 65536);
        if (count < 1 || LOWEST + count > end) {
            throw new IllegalArgumentException("no run of " + count + " ports fits in " + LOWEST + "-" + (end - 1));
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int first = LOWEST + random.nextInt(end - LOWEST - count + 1);
            if (claim(first, count)) {
                return first;
            }
        }
        throw new IllegalStateException("no run of " + count + " free ports in " + LOWEST + "-" + (end - 1)
                + " on 127.0.0.1 after " + ATTEMPTS + " tries");
    }

    /** The lowest port of the kernel's ephemeral range, or 32768 (Linux's default) when it cannot be read. */
    static int ephemeralLow() {
        try {
            // read line-wise: Files.readString trusts the size /proc reports and returned "3" of "32768\t60999"
            try (BufferedReader range = Files.newBufferedReader(EPHEMERAL_RANGE)) {
                return Integer.parseInt(range.readLine().trim().split("\\s+")[0]);
            }
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }

    /** Hands out {@code first} and the {@code count - 1} ports after it if each is bindable and none was yet. */
    static synchronized boolean claim(int first, int count) {
        for (int port = first; port < first + count; port++) {
            if (HANDED_OUT.contains(port) || !bindable(port)) {
                return false;
            }
        }
        for (int port = first; port < first + count; port++) {
            HANDED_OUT.add(port);
        }
        return true;
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
