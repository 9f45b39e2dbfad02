package dev.pier.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code POST /apps/{app}/jobs}: a one-off job ({@code pier run}) running {@code command} in the app's
 * {@code releaseId} (its current release when null), with the release's config vars plus {@code env}.
 * An {@code interactive} job waits for its attach ({@code GET /apps/{app}/jobs/{id}/attach}), which starts it
 * and gives it stdin; {@code tty} gives it a terminal, sized by the attach's resize messages. {@code memoryMb}
 * defaults to the controller's one-off job memory.
 */
public record NewJob(
        UUID releaseId,
        @JsonProperty(required = true) List<String> command,
        Map<String, String> env,
        Boolean interactive,
        Boolean tty,
        Integer memoryMb) {
}
