package dev.pier.gitreceiver.ssh;

import dev.pier.gitreceiver.GitReceiverProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;
import org.apache.sshd.server.command.CommandFactory;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.shell.ShellFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The SSH server: public keys only (no passwords, no keyboard-interactive), the host key generated once into
 * the state directory and kept, git commands only (an interactive {@code ssh} is told what this is).
 */
public final class SshServerLifecycle implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(SshServerLifecycle.class);

    private final SshServer server;
    private final GitReceiverProperties properties;
    private final SimpleGeneratorHostKeyProvider hostKey;

    public SshServerLifecycle(GitReceiverProperties properties, PublickeyAuthenticator keys, CommandFactory commands) {
        this.properties = properties;
        server = SshServer.setUpDefaultServer();
        server.setHost(properties.bindAddress());
        server.setPort(properties.port());
        hostKey = new SimpleGeneratorHostKeyProvider(properties.hostKey());
        hostKey.setAlgorithm("EC");
        server.setKeyPairProvider(hostKey);
        server.setPublickeyAuthenticator(keys);
        server.setPasswordAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setGSSAuthenticator(null);
        server.setHostBasedAuthenticator(null);
        server.setCommandFactory(commands);
        server.setShellFactory((ShellFactory) channel -> new GitCommandFactory.Refusal(
                "pier: you are authenticated, but this server only takes git pushes (git push pier main)"));
        // builds stream output, but a quiet compile step can take minutes
        CoreModuleProperties.IDLE_TIMEOUT.set(server, Duration.ofMinutes(30));
        CoreModuleProperties.AUTH_TIMEOUT.set(server, Duration.ofSeconds(30));
    }

    @Override
    public void start() {
        try {
            Files.createDirectories(properties.repositories());
            hostKey.loadKeys(null); // made now (or read), not at the first connection: ssh-keyscan can trust it at once
            server.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen for SSH on " + properties.bindAddress() + ":"
                    + properties.port() + ": " + e.getMessage(), e);
        }
        LOG.info("event=listening address={} port={} state={}", properties.bindAddress(), port(), properties.stateDir());
    }

    /** The port actually bound (differs from the configured one when that is 0). */
    public int port() {
        return server.getPort();
    }

    @Override
    public void stop() {
        try {
            server.stop(true);
        } catch (IOException e) {
            LOG.warn("event=stop_failed error=\"{}\"", e.getMessage());
        }
    }

    @Override
    public boolean isRunning() {
        return server.isStarted();
    }
}
