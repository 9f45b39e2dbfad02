package dev.pier.controller.run;

import dev.pier.api.Job;
import dev.pier.api.attach.AttachProtocol;
import dev.pier.api.attach.AttachSocket;
import dev.pier.api.attach.JobExit;
import dev.pier.api.host.HostAgentClient;
import dev.pier.api.host.HostJob;
import dev.pier.api.http.PierApiException;
import dev.pier.web.ApiProblem;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * One client attached to one job through the controller: frames go both ways between the client's socket and the
 * job's host agent's attach socket; when the job's output ends, the relay waits (bounded) for the host to see the
 * job ended, sends the client the job's {@link JobExit} and closes. A failure closes the client's socket with
 * {@link AttachProtocol}'s code and reason. A client that leaves before the job's output ends takes the job with it:
 * the job is stopped, as nobody is attached to it any more.
 */
final class AttachRelay {
    private static final Logger LOG = LoggerFactory.getLogger(AttachRelay.class);
    /** How long a job whose output ended may take to be seen ended by its host. */
    static final Duration END_WAIT = Duration.ofSeconds(30);
    /** How long the client's first messages wait for the host's socket to open. */
    static final Duration OPEN_WAIT = Duration.ofSeconds(30);

    /** What the relay needs of the controller. */
    interface Cluster {
        Job job(String app, String jobId);

        /** The host agent of {@code hostId}, or null when discoverd does not know it. */
        HostAgentClient agent(String hostId);

        void stop(String app, String jobId);
    }

    private final WebSocketSession client;
    private final String app;
    private final String jobId;
    private final Cluster cluster;
    private final Executor executor;
    private final Object sending = new Object();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final AtomicBoolean outputEnded = new AtomicBoolean();
    private volatile CompletableFuture<AttachSocket> host = CompletableFuture.failedFuture(
            new IllegalStateException("not attached yet"));
    private volatile HostAgentClient agent;
    private volatile String hostId;

    AttachRelay(WebSocketSession client, String app, String jobId, Cluster cluster, Executor executor) {
        this.client = client;
        this.app = app;
        this.jobId = jobId;
        this.cluster = cluster;
        this.executor = executor;
    }

    /** Finds the job and its host and opens the host's attach socket. */
    void open() {
        try {
            Job job = cluster.job(app, jobId);
            if (job.state().isTerminal()) {
                throw ApiProblem.conflict("id", "job " + jobId + " is " + job.state().wireName()
                        + (job.reason() == null ? "" : " (" + job.reason() + ")") + ": nothing to attach to");
            }
            if (job.hostId() == null) {
                throw ApiProblem.conflict("id", "job " + jobId + " has no host yet");
            }
            hostId = job.hostId();
            agent = cluster.agent(hostId);
            if (agent == null) {
                throw ApiProblem.unavailable("host " + hostId + " of job " + jobId + " is not in discoverd");
            }
        } catch (ApiProblem e) {
            fail(AttachProtocol.closeCode(e.status().value()), e.getMessage());
            return;
        }
        host = agent.attach(jobId, new FromHost());
        host.whenComplete((socket, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                int status = cause instanceof PierApiException api ? api.status() : 0;
                fail(status == 0 ? AttachProtocol.UNAVAILABLE : AttachProtocol.closeCode(status),
                        "cannot attach on host " + hostId + ": " + cause.getMessage());
            } else {
                LOG.info("event=attach.opened app={} job={} host={}", app, jobId, hostId);
                if (finished.get()) {
                    socket.abort(); // the client left while the host's socket opened
                }
            }
        });
    }

    /** Stdin from the client. */
    void stdin(byte[] bytes) {
        toHost("write to the job", socket -> socket.sendBinary(bytes));
    }

    /** A text message from the client: a resize, the end of its input, or a protocol error. */
    void text(String message) {
        if (AttachProtocol.isEndOfInput(message)) {
            toHost("close the job's input", socket -> socket.sendText(AttachProtocol.END_OF_INPUT));
            return;
        }
        AttachProtocol.Resize resize;
        try {
            resize = AttachProtocol.parseResize(message);
        } catch (IllegalArgumentException e) {
            fail(AttachProtocol.BAD_MESSAGE, e.getMessage());
            return;
        }
        toHost("resize the job", socket -> socket.sendText(AttachProtocol.resizeMessage(resize.columns(),
                resize.rows())));
    }

    /**
     * Passes a client's message on to the host. Once the job's output has ended (the host closed its socket), what
     * the client still sends is dropped, as a pipe's reader that exited drops it: the job's exit follows, and a
     * failed write must not take its place (a terminal's last keystrokes often race the shell's exit).
     */
    private void toHost(String what, Consumer<AttachSocket> send) {
        AttachSocket socket = hostSocket();
        if (socket == null || outputEnded.get()) {
            return;
        }
        try {
            send.accept(socket);
        } catch (PierApiException e) {
            if (outputEnded.get()) {
                LOG.debug("event=attach.dropped app={} job={} reason=\"{}\"", app, jobId, e.getMessage());
            } else {
                fail(AttachProtocol.UNAVAILABLE, "cannot " + what + " on host " + hostId + ": "
                        + e.getMessage());
            }
        }
    }

    /** The client's socket closed (by the client, or by this relay). */
    void clientClosed(CloseStatus status) {
        boolean first = finished.compareAndSet(false, true);
        CompletableFuture<AttachSocket> opening = host;
        if (opening.isDone() && !opening.isCompletedExceptionally()) {
            opening.join().abort();
        }
        if (first && agent != null && !outputEnded.get()) {
            LOG.info("event=attach.left app={} job={} code={}: stopping the job", app, jobId, status.getCode());
            executor.execute(() -> {
                try {
                    cluster.stop(app, jobId);
                } catch (RuntimeException e) {
                    LOG.warn("event=attach.stop-failed app={} job={} reason=\"{}\"", app, jobId, e.getMessage());
                }
            });
        }
    }

    private AttachSocket hostSocket() {
        try {
            return host.get(OPEN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return null; // open() closes the client with the reason
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The host agent's side. */
    private final class FromHost implements AttachSocket.Handler {
        @Override
        public void binary(byte[] bytes) {
            send(new BinaryMessage(bytes));
        }

        @Override
        public void text(String message) {
            // The host sends only output.
        }

        @Override
        public void closed(int code, String reason) {
            outputEnded.set(true);
            executor.execute(() -> end(code, reason));
        }

        @Override
        public void failed(Throwable error) {
            fail(AttachProtocol.UNAVAILABLE, "lost the connection to host " + hostId + ": " + error.getMessage());
        }
    }

    /**
     * The host closed its socket: once the job has ended (a normal close: its output ended) the client gets its
     * exit; a job that ended another way (its command could not run) too; otherwise the host's code and reason.
     */
    private void end(int code, String reason) {
        Duration wait = code == AttachProtocol.NORMAL ? END_WAIT : Duration.ZERO;
        HostJob ended = awaitEnd(wait);
        if (ended != null) {
            JobExit exit = new JobExit(ended.exitStatus(), ended.state(), ended.reason());
            send(new TextMessage(AttachProtocol.exitMessage(exit)));
            close(AttachProtocol.NORMAL, "job ended");
            LOG.info("event=attach.ended app={} job={} state={} exit_status={}", app, jobId, exit.state().wireName(),
                    exit.exitStatus());
        } else if (code == AttachProtocol.NORMAL) {
            fail(AttachProtocol.INTERNAL, "the output of job " + jobId + " ended, but host " + hostId
                    + " did not see the job end within " + END_WAIT.toSeconds() + " s");
        } else {
            fail(code >= 4000 ? code : AttachProtocol.UNAVAILABLE, reason == null || reason.isBlank()
                    ? "host " + hostId + " closed the attach (code " + code + ")" : reason);
        }
    }

    /** The job as its host has it once ended, polling for up to {@code wait}; null when it has not ended. */
    private HostJob awaitEnd(Duration wait) {
        Instant deadline = Instant.now().plus(wait);
        long pause = 20;
        while (true) {
            try {
                HostJob job = agent.job(jobId);
                if (job.state().isTerminal()) {
                    return job;
                }
            } catch (PierApiException e) {
                if (e.isNotFound()) {
                    return null;
                }
            }
            if (!Instant.now().plusMillis(pause).isBefore(deadline)) {
                return null;
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            pause = Math.min(500, pause * 2);
        }
    }

    private void send(WebSocketMessage<?> message) {
        synchronized (sending) {
            if (!client.isOpen()) {
                return;
            }
            try {
                client.sendMessage(message);
            } catch (IOException e) {
                LOG.debug("event=attach.send-failed app={} job={} reason={}", app, jobId, e.getMessage());
            }
        }
    }

    private void fail(int code, String reason) {
        LOG.info("event=attach.failed app={} job={} code={} reason=\"{}\"", app, jobId, code, reason);
        close(code, reason);
    }

    private void close(int code, String reason) {
        synchronized (sending) {
            try {
                if (client.isOpen()) {
                    client.close(new CloseStatus(code, AttachProtocol.reason(reason)));
                }
            } catch (IOException | IllegalArgumentException e) {
                LOG.debug("event=attach.close-failed app={} job={} reason={}", app, jobId, e.getMessage());
            }
        }
    }
}
