package dev.pier.api.http;

/**
 * An RFC 9457 problem answered by a Pier service, or a failure to reach it (status 0).
 * {@link #getMessage()} is one line fit to show a user.
 */
public class PierApiException extends RuntimeException {
    private final int status;
    private final String title;
    private final String detail;
    private final String field;

    public PierApiException(int status, String title, String detail, String field) {
        super(message(status, title, detail), null);
        this.status = status;
        this.title = title;
        this.detail = detail;
        this.field = field;
    }

    public PierApiException(String detail, Throwable cause) {
        super(detail, cause);
        this.status = 0;
        this.title = "Unreachable";
        this.detail = detail;
        this.field = null;
    }

    private static String message(int status, String title, String detail) {
        if (detail != null && !detail.isBlank()) {
            return detail;
        }
        return title != null ? title + " (HTTP " + status + ")" : "HTTP " + status;
    }

    /** HTTP status, or 0 when the service could not be reached at all. */
    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return detail;
    }

    /** The request field the problem names, when it names one. */
    public String field() {
        return field;
    }

    public boolean isNotFound() {
        return status == 404;
    }

    public boolean isConflict() {
        return status == 409;
    }
}
