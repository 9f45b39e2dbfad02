package dev.pier.api.attach;

import dev.pier.api.http.PierApiException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A one-off job attached through the controller ({@code pier run}): its output goes to {@code output} as it comes,
 * {@link #stdin} and {@link #resize} go to the job, and {@link #exit()} completes with how the job ended, or fails
 * with a {@link PierApiException} saying why the attach could not go on.
 */
public final class JobAttachment implements AutoCloseable {
    private final CompletableFuture<JobExit> exit = new CompletableFuture<>();
    private final String what;
    private volatile JobExit last;
    private AttachSocket socket;

    private JobAttachment(String what) {
        this.what = what;
    }

    /**
     * Attaches: {@code connect} opens the socket with the handler given to it ({@link dev.pier.api.controller.
     * ControllerClient#attach} does). Throws {@link PierApiException} when the socket cannot be opened.
     */
    public static JobAttachment open(String what, Consumer<byte[]> output,
                                     Function<AttachSocket.Handler, CompletableFuture<AttachSocket>> connect,
                                     long timeoutMillis) {
        JobAttachment attachment = new JobAttachment(what);
        AttachSocket.Handler handler = new AttachSocket.Handler() {
            @Override
            public void binary(byte[] bytes) {
                output.accept(bytes);
            }

            @Override
            public void text(String message) {
                AttachProtocol.parseExit(message).ifPresent(exit -> attachment.last = exit);
            }

            @Override
            public void closed(int code, String reason) {
                attachment.ended(code, reason);
            }

            @Override
            public void failed(Throwable error) {
                attachment.exit.completeExceptionally(new PierApiException("lost the connection to " + what + ": "
                        + (error.getMessage() != null ? error.getMessage() : error.getClass().getSimpleName()), error));
            }
        };
        try {
            attachment.socket = connect.apply(handler).get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof PierApiException api ? api
                    : new PierApiException("cannot attach to " + what + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new PierApiException("cannot attach to " + what + ": no handshake within "
                    + timeoutMillis / 1000 + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PierApiException("interrupted while attaching to " + what, e);
        }
        return attachment;
    }

    private void ended(int code, String reason) {
        if (code == AttachProtocol.NORMAL && last != null) {
            exit.complete(last);
        } else if (code == AttachProtocol.NORMAL) {
            exit.completeExceptionally(new PierApiException(what + " closed the attach without the job's exit status",
                    null));
        } else {
            int status = AttachProtocol.httpStatus(code);
            String detail = reason == null || reason.isBlank() ? what + " closed the attach (code " + code + ")" : reason;
            exit.completeExceptionally(status == 0 ? new PierApiException(detail, null)
                    : new PierApiException(status, null, detail, null));
        }
    }

    /** Writes to the job's stdin (in chunks of at most {@link AttachProtocol#MAX_STDIN_CHUNK} bytes). */
    public void stdin(byte[] bytes, int length) {
        for (int from = 0; from < length; from += AttachProtocol.MAX_STDIN_CHUNK) {
            int to = Math.min(length, from + AttachProtocol.MAX_STDIN_CHUNK);
            byte[] chunk = new byte[to - from];
            System.arraycopy(bytes, from, chunk, 0, chunk.length);
            socket.sendBinary(chunk);
        }
    }

    /** The input ended: the job's stdin is closed (its reader sees end of file). */
    public void endOfInput() {
        socket.sendText(AttachProtocol.END_OF_INPUT);
    }

    public void resize(int columns, int rows) {
        socket.sendText(AttachProtocol.resizeMessage(columns, rows));
    }

    /** Completes when the job has ended (its output all delivered), or fails with why the attach broke. */
    public CompletableFuture<JobExit> exit() {
        return exit;
    }

    /** Waits for {@link #exit()}; throws its {@link PierApiException}. */
    public JobExit awaitExit() {
        try {
            return exit.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof PierApiException api ? api
                    : new PierApiException("attach to " + what + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PierApiException("interrupted while attached to " + what, e);
        }
    }

    /** Detaches; the controller stops a job whose attach closes before it ends. */
    @Override
    public void close() {
        if (socket != null && !exit.isDone()) {
            socket.close(AttachProtocol.NORMAL, "detached");
        }
    }
}
