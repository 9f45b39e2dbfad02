package dev.pier.router.proxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes a loopback address go silent, as the host of a machine that lost its power: {@code iptables} drops every
 * packet to and from it, so nothing sent to it is acknowledged and nothing it sends arrives (the tests run as root,
 * as the whole suite does). Each rule is removed on close.
 */
final class Firewall implements AutoCloseable {
    private static final String COMMENT = "pier-router-test";
    private final List<List<String>> rules = new ArrayList<>();

    /** Drops what goes to {@code address} (on the loopback interface) and what comes from it. */
    void silence(String address) throws IOException, InterruptedException {
        for (String direction : new String[] {"-d", "-s"}) {
            List<String> rule = List.of("INPUT", "-i", "lo", direction, address, "-m", "comment", "--comment",
                    COMMENT, "-j", "DROP");
            iptables("-I", rule);
            rules.add(rule);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        for (List<String> rule : rules) {
            iptables("-D", rule);
        }
        rules.clear();
    }

    private static void iptables(String action, List<String> rule) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("iptables", "-w", "5", action));
        command.addAll(rule);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (root and iptables are needed): " + out);
        }
    }
}
