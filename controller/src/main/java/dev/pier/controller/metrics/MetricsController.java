package dev.pier.controller.metrics;

import dev.pier.api.Names;
import dev.pier.api.metrics.AppMetrics;
import dev.pier.controller.app.Apps;
import dev.pier.controller.support.Input;
import dev.pier.web.ApiProblem;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /apps/{app}/metrics[?since=<instant>]}: the app's recent figures per process type (see
 * {@link MetricsSampler}); {@code GET /apps/{app}/metrics/stream}: the same as Server-Sent Events, every point
 * there is ({@code event: point}), then each new one as it is made.
 */
@RestController
public class MetricsController {
    private final Apps apps;
    private final MetricsHistory history;
    private final MetricsProperties properties;
    private final MetricsStreams streams;

    public MetricsController(Apps apps, MetricsHistory history, MetricsProperties properties, MetricsStreams streams) {
        this.apps = apps;
        this.history = history;
        this.properties = properties;
        this.streams = streams;
    }

    @GetMapping(value = "/apps/{app}/metrics", produces = MediaType.APPLICATION_JSON_VALUE)
    public AppMetrics metrics(@PathVariable String app, @RequestParam(required = false) String since) {
        String name = liveApp(app);
        Instant after = since(since);
        return new AppMetrics(name, (int) properties.interval().toSeconds(), (int) properties.retention().toSeconds(),
                history.points(name, after));
    }

    @GetMapping(value = "/apps/{app}/metrics/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter stream(@PathVariable String app) {
        return streams.open(liveApp(app));
    }

    private String liveApp(String app) {
        Input.appName("app", app);
        return apps.live(app).name();
    }

    private static Instant since(String since) {
        if (since == null || since.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(since.strip());
        } catch (DateTimeParseException e) {
            throw ApiProblem.badRequest("since", "since '" + Names.printable(since)
                    + "' is not an instant such as 2026-12-05T10:00:00Z");
        }
    }
}
