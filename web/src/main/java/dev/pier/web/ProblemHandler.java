package dev.pier.web;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.pier.api.Names;
import jakarta.servlet.http.HttpServletRequest;
import java.util.stream.Collectors;
import org.apache.catalina.connector.ClientAbortException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** Turns every failure into an RFC 9457 problem; a 500 is logged with its stack, as it is a bug. */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(ApiProblem.class)
    public ResponseEntity<ProblemDetail> apiProblem(ApiProblem problem) {
        return respond(Problems.of(problem.status(), problem.getMessage(), problem.field()));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    public ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
        String value = e.getValue() == null ? "" : Names.printable(String.valueOf(e.getValue()));
        String expected = e.getRequiredType() == null ? "value" : e.getRequiredType().getSimpleName();
        return respond(Problems.of(HttpStatus.BAD_REQUEST,
                e.getName() + " '" + value + "' is not a valid " + expected, e.getName()));
    }

    @ExceptionHandler(BodyLimitFilter.BodyTooLargeException.class)
    public ResponseEntity<ProblemDetail> tooLarge(BodyLimitFilter.BodyTooLargeException e) {
        return respond(Problems.of(HttpStatus.PAYLOAD_TOO_LARGE, e.getMessage(), null));
    }

    /** The client went away while its request was read or its answer written: its doing, and nobody to answer. */
    @ExceptionHandler(ClientAbortException.class)
    public void clientGone(ClientAbortException e, HttpServletRequest request) {
        LOG.info("event=client_gone method={} path={} reason=\"{}\"", request.getMethod(), request.getRequestURI(),
                e.getMessage());
    }

    @ExceptionHandler(Exception.class)
    public ResponseEntity<ProblemDetail> bug(Exception e, HttpServletRequest request) {
        LOG.error("event=internal_error method={} path={}", request.getMethod(), request.getRequestURI(), e);
        return respond(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR,
                "internal error (" + e.getClass().getSimpleName() + "); this is a bug in Pier", null));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        Throwable cause = e.getCause();
        ProblemDetail problem;
        if (cause instanceof BodyLimitFilter.BodyTooLargeException tooLarge) {
            problem = Problems.of(HttpStatus.PAYLOAD_TOO_LARGE, tooLarge.getMessage(), null);
        } else if (cause instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = path(mapping);
            problem = Problems.of(HttpStatus.BAD_REQUEST, describe(mapping, field), field);
        } else if (cause instanceof JsonParseException parse) {
            problem = Problems.of(HttpStatus.BAD_REQUEST, "malformed JSON: " + parse.getOriginalMessage(), null);
        } else if (cause instanceof MismatchedInputException mismatch) {
            problem = Problems.of(HttpStatus.BAD_REQUEST, "request body has the wrong shape: "
                    + mismatch.getOriginalMessage(), null);
        } else {
            problem = Problems.of(HttpStatus.BAD_REQUEST, "request body is missing or is not JSON", null);
        }
        return new ResponseEntity<>(problem, Problems.response(problem).getHeaders(), problem.getStatus());
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, Object body, HttpHeaders headers,
                                                             HttpStatusCode status, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(e, body, headers, status, request);
        if (response != null && response.getBody() instanceof ProblemDetail) {
            HttpHeaders merged = new HttpHeaders();
            merged.putAll(response.getHeaders());
            merged.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
            return new ResponseEntity<>(response.getBody(), merged, response.getStatusCode());
        }
        return response;
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String describe(JsonMappingException e, String field) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            String known = unknown.getKnownPropertyIds() == null ? "" : unknown.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", "));
            return "unknown field '" + field + "'" + (known.isEmpty() ? "" : " (known fields: " + known + ")");
        }
        if (e instanceof ValueInstantiationException || e instanceof InvalidFormatException
                && e.getCause() instanceof IllegalArgumentException) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return field + ": " + cause.getMessage();
        }
        if (e instanceof InvalidFormatException invalid) {
            return field + ": '" + Names.printable(String.valueOf(invalid.getValue())) + "' is not a valid "
                    + invalid.getTargetType().getSimpleName();
        }
        if (e.getOriginalMessage() != null && (e.getOriginalMessage().startsWith("Cannot map `null`")
                || e.getOriginalMessage().startsWith("Missing required creator property"))) {
            return field + " is required";
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return field + " has the wrong type: expected " + expected(mismatch.getTargetType());
        }
        return field + " is invalid: " + e.getOriginalMessage();
    }

    private static String expected(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (java.util.Map.class.isAssignableFrom(type)) {
            return "an object";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (type.isEnum()) {
            return "one of its known values";
        }
        return "an object";
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
        return Problems.response(problem);
    }
}
