package dev.pier.gitreceiver.ssh;

import dev.pier.api.controller.ControllerClient;
import dev.pier.api.http.PierApiException;
import dev.pier.gitreceiver.GitReceiverProperties;
import dev.pier.gitreceiver.push.AppLocks;
import dev.pier.gitreceiver.push.DeployHook;
import dev.pier.gitreceiver.push.PushDeploy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.channel.ChannelSession;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.UploadPack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code git-receive-pack} or {@code git-upload-pack} over an SSH channel, run by JGit on the channel's
 * streams. The app must exist in the controller; its bare repository is made on its first push.
 */
final class GitCommand extends ChannelCommand {
    private static final Logger LOG = LoggerFactory.getLogger(GitCommand.class);

    private final GitRequest request;
    private final ControllerClient controller;
    private final PushDeploy pushDeploy;
    private final AppLocks locks;
    private final GitReceiverProperties properties;
    private final ExecutorService executor;

    GitCommand(GitRequest request, ControllerClient controller, PushDeploy pushDeploy, AppLocks locks,
               GitReceiverProperties properties, ExecutorService executor) {
        this.request = request;
        this.controller = controller;
        this.pushDeploy = pushDeploy;
        this.locks = locks;
        this.properties = properties;
        this.executor = executor;
    }

    @Override
    public void start(ChannelSession channel, Environment env) {
        String fingerprint = channel.getSession().getAttribute(ControllerKeyAuthenticator.FINGERPRINT);
        executor.execute(() -> exit.onExit(run(fingerprint)));
    }

    private int run(String fingerprint) {
        String app = request.app();
        UUID id;
        try {
            id = controller.app(app).id();
        } catch (PierApiException e) {
            return fail(e.isNotFound() ? "app '" + app + "' does not exist: create it with 'pier create " + app + "'"
                    : "the controller cannot be reached: " + e.getMessage());
        }
        try (Repository repository = new AppRepositories(properties.repositories()).open(app, id)) {
            if (request.service() == GitRequest.Service.RECEIVE_PACK) {
                LOG.info("event=push app={} key={}", app, fingerprint);
                ReceivePack receive = new ReceivePack(repository);
                receive.setAllowNonFastForwards(true);
                receive.setAllowDeletes(true); // refused by the hook with a reason, not by JGit without one
                DeployHook hook = new DeployHook(app, pushDeploy, locks, properties.pushWait());
                receive.setPreReceiveHook(hook);
                receive.setPostReceiveHook(hook);
                try {
                    receive.receive(in, out, err);
                } finally {
                    hook.release();
                }
            } else {
                new UploadPack(repository).upload(in, out, err);
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            LOG.warn("event=git_failed app={} service={} error=\"{}\"", app, request.service(), e.toString());
            return fail("the git transfer failed: " + e.getMessage());
        }
    }

    private int fail(String message) {
        try {
            err.write(("pier: " + message + "\n").getBytes(StandardCharsets.UTF_8));
            err.flush();
        } catch (IOException ignored) {
            // the client is gone
        }
        return 1;
    }
}
