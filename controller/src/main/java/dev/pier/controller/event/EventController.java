package dev.pier.controller.event;

import dev.pier.api.Event;
import dev.pier.api.EventTypes;
import dev.pier.api.Names;
import dev.pier.controller.support.Input;
import dev.pier.web.ApiProblem;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /events}: with {@code Accept: text/event-stream}, a live stream that resumes after
 * {@code Last-Event-ID} (or {@code since}); otherwise a JSON page of the log.
 */
@RestController
public class EventController {
    private final EventLog log;
    private final EventStream stream;

    public EventController(EventLog log, EventStream stream) {
        this.log = log;
        this.stream = stream;
    }

    @GetMapping(value = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @ApiResponse(responseCode = "200", description = "Server-Sent Events: id is the event's id, data the Event",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(implementation = Event.class)))
    public SseEmitter streamEvents(@RequestParam(required = false) String app,
                             @RequestParam(required = false) String types,
                             @RequestParam(required = false) Long since,
                             @RequestHeader(value = "Last-Event-ID", required = false) String lastEventId) {
        Long after = lastEventId != null ? parseId(lastEventId) : since;
        if (after != null && after < 0) {
            throw ApiProblem.badRequest("since", "since must not be negative");
        }
        return stream.subscribe(after, app(app), types(types));
    }

    @GetMapping(value = "/events", produces = MediaType.APPLICATION_JSON_VALUE)
    public List<Event> listEvents(@RequestParam(required = false) String app,
                            @RequestParam(required = false) String types,
                            @RequestParam(required = false) Long since,
                            @RequestParam(defaultValue = "100") int count) {
        if (count < 1 || count > 1000) {
            throw ApiProblem.badRequest("count", "count must be between 1 and 1000");
        }
        if (since != null && since < 0) {
            throw ApiProblem.badRequest("since", "since must not be negative");
        }
        return since == null ? log.latest(app(app), types(types), count) : log.after(since, app(app), types(types), count);
    }

    private static Long parseId(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest("Last-Event-ID", "Last-Event-ID '" + Names.printable(value)
                    + "' is not an event id");
        }
    }

    private static String app(String app) {
        return app == null ? null : Input.appName("app", app);
    }

    private static Set<String> types(String types) {
        if (types == null || types.isBlank()) {
            return Set.of();
        }
        Set<String> parsed = new LinkedHashSet<>(Arrays.asList(types.split(",")));
        for (String type : parsed) {
            if (!EventTypes.ALL.contains(type)) {
                throw ApiProblem.badRequest("types", "unknown event type '" + Names.printable(type) + "' (known: "
                        + String.join(", ", EventTypes.ALL.stream().sorted().toList()) + ")");
            }
        }
        return parsed;
    }
}
