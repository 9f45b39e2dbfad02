package dev.pier.controller.support;

import dev.pier.web.Problems;
import java.util.Map;
import org.hibernate.exception.ConstraintViolationException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * When two writers race past the friendly checks, the database's constraints decide: the loser gets a
 * 409 that says what was taken, never a 500.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ConstraintProblems {
    private record Meaning(String field, String detail) {
    }

    private static final Map<String, Meaning> CONSTRAINTS = Map.of(
            "apps_name_live", new Meaning("name", "an app with that name already exists"),
            "routes_domain", new Meaning("domain", "that domain is already routed to an app"),
            "ssh_keys_pkey", new Meaning("key", "that key is already added"),
            "deployments_one_active", new Meaning(null, "a deployment of this app is already in progress"),
            "releases_app_version", new Meaning(null, "another release of this app was created at the same time; retry"));

    @ExceptionHandler(DataIntegrityViolationException.class)
    public ResponseEntity<ProblemDetail> conflict(DataIntegrityViolationException e) {
        String constraint = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConstraintViolationException violation) {
                constraint = violation.getConstraintName();
                break;
            }
        }
        Meaning meaning = constraint == null ? null : CONSTRAINTS.get(constraint);
        ProblemDetail problem = meaning != null
                ? Problems.of(HttpStatus.CONFLICT, meaning.detail(), meaning.field())
                : Problems.of(HttpStatus.CONFLICT, "conflicting change"
                        + (constraint == null ? "" : " (" + constraint + ")") + "; retry", null);
        return respond(problem);
    }

    @ExceptionHandler(PessimisticLockingFailureException.class)
    public ResponseEntity<ProblemDetail> busy(PessimisticLockingFailureException e) {
        return respond(Problems.of(HttpStatus.CONFLICT, "the app is being changed by another request; retry", null));
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
        return Problems.response(problem);
    }
}
