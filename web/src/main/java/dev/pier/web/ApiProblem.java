package dev.pier.web;

import org.springframework.http.HttpStatus;

/**
 * An expected failure that becomes an RFC 9457 problem: a status, a short title, a detail fit to show
 * a user and, for bad input, the request field at fault.
 */
public class ApiProblem extends RuntimeException {
    private final HttpStatus status;
    private final String field;

    public ApiProblem(HttpStatus status, String detail, String field) {
        super(detail, null, false, false);
        this.status = status;
        this.field = field;
    }

    public static ApiProblem badRequest(String field, String detail) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, detail, field);
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(HttpStatus.NOT_FOUND, detail, null);
    }

    public static ApiProblem conflict(String field, String detail) {
        return new ApiProblem(HttpStatus.CONFLICT, detail, field);
    }

    public static ApiProblem unavailable(String detail) {
        return new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, detail, null);
    }

    public HttpStatus status() {
        return status;
    }

    public String field() {
        return field;
    }
}
