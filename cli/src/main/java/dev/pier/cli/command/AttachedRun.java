package dev.pier.cli.command;

import dev.pier.api.Job;
import dev.pier.api.attach.AttachProtocol;
import dev.pier.api.attach.JobAttachment;
import dev.pier.api.attach.JobExit;
import dev.pier.api.controller.ControllerClient;
import dev.pier.api.http.PierApiException;
import dev.pier.cli.Terminal;
import dev.pier.cli.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * {@code pier run} attached: the job's output to the terminal as it comes, the terminal's input (and, with a TTY,
 * its size, in raw mode) to the job, and the job's exit status as the command's. The job starts when the attach
 * opens (see the controller's attach protocol), so none of its output is missed.
 */
final class AttachedRun {
    private final Terminal terminal;

    AttachedRun(Terminal terminal) {
        this.terminal = terminal;
    }

    int run(ControllerClient client, String app, Job job, boolean tty) {
        return run(client, app, job, tty, terminal.out());
    }

    /** The same, with the job's output written to {@code out} (not flushed at the end: the caller owns it). */
    int run(ControllerClient client, String app, Job job, boolean tty, OutputStream out) {
        JobAttachment attachment;
        try {
            attachment = client.attach(app, job.id(), bytes -> write(out, bytes));
        } catch (PierApiException e) {
            stopQuietly(client, app, job);
            throw e;
        }
        try (attachment;
             Terminal.Restore raw = tty ? terminal.raw() : Terminal.Restore.NOTHING;
             Terminal.Restore resizes = tty ? terminal.onResize(() -> sendSize(attachment)) : Terminal.Restore.NOTHING) {
            if (tty) {
                sendSize(attachment);
            }
            pump(terminal.in(), attachment);
            return exitCode(job.id(), attachment.awaitExit());
        }
    }

    /** The job's exit status as pier's; a job that never ran is an error saying why. */
    static int exitCode(String jobId, JobExit exit) {
        Integer status = exit.exitStatus();
        if (status != null) {
            return status >= 0 && status <= 255 ? status : 1;
        }
        throw new UserError("job " + jobId + " " + exit.state().wireName()
                + (exit.reason() == null ? "" : ": " + exit.reason()));
    }

    private void sendSize(JobAttachment attachment) {
        terminal.size().ifPresent(size -> {
            try {
                attachment.resize(Math.min(size.columns(), AttachProtocol.MAX_TTY_SIZE),
                        Math.min(size.rows(), AttachProtocol.MAX_TTY_SIZE));
            } catch (PierApiException e) {
                // The job has ended: nothing to resize.
            }
        });
    }

    /**
     * Copies stdin to the job on a daemon thread, until stdin ends or the job does; the end of stdin is passed on,
     * so {@code echo data | pier run cat} ends.
     */
    private static void pump(InputStream in, JobAttachment attachment) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[AttachProtocol.MAX_STDIN_CHUNK];
            try {
                int read;
                while ((read = in.read(buffer)) >= 0 && !attachment.exit().isDone()) {
                    if (read > 0) {
                        attachment.stdin(buffer, read);
                    }
                }
                if (read < 0 && !attachment.exit().isDone()) {
                    attachment.endOfInput();
                }
            } catch (IOException | PierApiException e) {
                // stdin or the job went away; the exit (or its failure) says the rest
            }
        }, "pier-run-stdin");
        thread.setDaemon(true);
        thread.start();
    }

    private static void write(OutputStream out, byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            // stdout is gone (a closed pipe): the job runs on to its end
        }
    }

    private static void stopQuietly(ControllerClient client, String app, Job job) {
        try {
            client.stopJob(app, job.id());
        } catch (PierApiException e) {
            // It fails on its own when nobody attaches.
        }
    }
}
