package dev.pier.gitreceiver.push;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.transport.PostReceiveHook;
import org.eclipse.jgit.transport.PreReceiveHook;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pre-receive hook of a push to one app: the objects are in, the refs not yet moved. Refused refs get their
 * reason; the deploying ref waits for the app's lock, then is built and deployed with every line of output
 * sent to the pusher at once (sideband, {@code remote: ...}). A failure rejects the ref, so {@code git push}
 * exits non-zero and the branch stays where the running release came from. The app's lock is held until the
 * refs are updated (post-receive, or {@link #release()} when the receive ends without it), so a push that
 * waited sees where the first one moved the branch.
 */
public final class DeployHook implements PreReceiveHook, PostReceiveHook {
    private static final Logger LOG = LoggerFactory.getLogger(DeployHook.class);
    static final int MAX_REASON = 200;

    private final String app;
    private final PushDeploy pushDeploy;
    private final AppLocks locks;
    private final Duration pushWait;
    private AutoCloseable lock;

    public DeployHook(String app, PushDeploy pushDeploy, AppLocks locks, Duration pushWait) {
        this.app = app;
        this.pushDeploy = pushDeploy;
        this.locks = locks;
        this.pushWait = pushWait;
    }

    @Override
    public void onPreReceive(ReceivePack receivePack, Collection<ReceiveCommand> commands) {
        OutputStream messages = receivePack.getMessageOutputStream();
        java.util.function.Consumer<String> out = line -> {
            try {
                messages.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                messages.flush();
            } catch (IOException e) {
                LOG.debug("event=pusher_gone app={} error=\"{}\"", app, e.getMessage());
            }
        };
        var pending = commands.stream().filter(c -> c.getResult() == ReceiveCommand.Result.NOT_ATTEMPTED).toList();
        for (ReceiveCommand command : pending) {
            PushPolicy.problem(command).ifPresent(problem -> command.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, problem));
        }
        Optional<ReceiveCommand> deploying = PushPolicy.deploying(pending);
        if (deploying.isEmpty()) {
            pending.stream().filter(c -> c.getResult() == ReceiveCommand.Result.NOT_ATTEMPTED).forEach(c ->
                    c.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, "push main or master, not both at once"));
            return;
        }
        ReceiveCommand command = deploying.get();
        try {
            lock = locks.acquire(app, pushWait, () -> out.accept("-----> Waiting for another push to " + app + " to finish"));
            if (lock == null) {
                command.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, "another push to " + app
                        + " is still running after " + pushWait.toMinutes() + " min: try again later");
                return;
            }
            if (moved(receivePack, command)) {
                String branch = PushPolicy.shortName(command.getRefName());
                String reason = branch + " moved while this push waited (another push deployed): fetch and push again";
                out.accept(" !     Push rejected: " + reason);
                command.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, reason);
                return;
            }
            PushDeploy.Outcome outcome = pushDeploy.deploy(app, receivePack.getRepository(), command.getNewId(), out);
            if (!outcome.succeeded()) {
                command.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, oneLine(outcome.refusal()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            command.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, "the git receiver is shutting down");
        } catch (Exception e) {
            LOG.warn("event=push_failed app={} error=\"{}\"", app, e.toString(), e);
            out.accept(" !     Push rejected: " + e.getMessage());
            command.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, oneLine("internal error: " + e.getMessage()));
        }
    }

    /** The refs are updated: the next push to the app may go. */
    @Override
    public void onPostReceive(ReceivePack receivePack, Collection<ReceiveCommand> commands) {
        release();
    }

    /** Lets the app's next push go; safe to call more than once. */
    public void release() {
        AutoCloseable held = lock;
        lock = null;
        if (held != null) {
            try {
                held.close();
            } catch (Exception e) {
                LOG.warn("event=unlock_failed app={} error=\"{}\"", app, e.toString());
            }
        }
    }

    /** Whether the branch is no longer where the pusher saw it (a push that waited for another). */
    private static boolean moved(ReceivePack receivePack, ReceiveCommand command) throws IOException {
        Ref ref = receivePack.getRepository().exactRef(command.getRefName());
        ObjectId now = ref == null ? ObjectId.zeroId() : ref.getObjectId();
        return !now.equals(command.getOldId());
    }

    static String oneLine(String reason) {
        String line = String.valueOf(reason).replaceAll("[\\r\\n\\t]+", " ");
        return line.length() <= MAX_REASON ? line : line.substring(0, MAX_REASON - 3) + "...";
    }
}
