package dev.pier.gitreceiver.ssh;

import dev.pier.api.controller.ControllerClient;
import dev.pier.gitreceiver.GitReceiverProperties;
import dev.pier.gitreceiver.push.AppLocks;
import dev.pier.gitreceiver.push.PushDeploy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.command.CommandFactory;

/**
 * SSH exec requests: git's receive-pack and upload-pack of {@code <app>.git}; anything else, and any request of a
 * session whose key could not be checked, gets a message.
 */
public final class GitCommandFactory implements CommandFactory {
    private final ControllerClient controller;
    private final PushDeploy pushDeploy;
    private final AppLocks locks;
    private final GitReceiverProperties properties;
    private final ExecutorService executor;

    public GitCommandFactory(ControllerClient controller, PushDeploy pushDeploy, AppLocks locks,
                             GitReceiverProperties properties, ExecutorService executor) {
        this.controller = controller;
        this.locks = locks;
        this.pushDeploy = pushDeploy;
        this.properties = properties;
        this.executor = executor;
    }

    @Override
    public Command createCommand(ChannelSession channel, String command) {
        String unchecked = channel.getSession().getAttribute(ControllerKeyAuthenticator.UNCHECKED);
        if (unchecked != null) {
            return new Refusal("pier: " + unchecked);
        }
        GitRequest.Parsed parsed = GitRequest.parse(command);
        if (parsed.request() == null) {
            return new Refusal(parsed.problem());
        }
        return new GitCommand(parsed.request(), controller, pushDeploy, locks, properties, executor);
    }

    /** Prints why on stderr and exits 1. */
    static final class Refusal extends ChannelCommand {
        private final String message;

        Refusal(String message) {
            this.message = message;
        }

        @Override
        public void start(ChannelSession channel, Environment env) throws IOException {
            err.write((message + "\n").getBytes(StandardCharsets.UTF_8));
            err.flush();
            exit.onExit(1, message);
        }
    }
}
