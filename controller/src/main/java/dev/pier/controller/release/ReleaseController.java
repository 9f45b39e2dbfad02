package dev.pier.controller.release;

import dev.pier.api.NewRelease;
import dev.pier.api.Release;
import dev.pier.api.ReleaseChange;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class ReleaseController {
    private final ReleaseService releases;

    public ReleaseController(ReleaseService releases) {
        this.releases = releases;
    }

    @PostMapping("/apps/{app}/releases")
    @ResponseStatus(HttpStatus.CREATED)
    public Release createRelease(@PathVariable String app, @RequestBody NewRelease request) {
        return releases.create(app, request);
    }

    /** Newest first. */
    @GetMapping("/apps/{app}/releases")
    public List<Release> listReleases(@PathVariable String app, @RequestParam(defaultValue = "100") int limit) {
        return releases.list(app, limit);
    }

    @GetMapping("/apps/{app}/releases/{release}")
    public Release getRelease(@PathVariable String app, @PathVariable String release) {
        return releases.get(app, release);
    }

    /** The app's current release. */
    @GetMapping("/apps/{app}/release")
    public Release currentRelease(@PathVariable String app) {
        return releases.current(app);
    }

    /** Makes and deploys a new release copied from {@code release}. */
    @PostMapping("/apps/{app}/releases/{release}/rollback")
    @ResponseStatus(HttpStatus.CREATED)
    public ReleaseChange rollbackTo(@PathVariable String app, @PathVariable String release) {
        return releases.rollback(app, release);
    }

    /** Makes and deploys a new release copied from the one before the current one. */
    @PostMapping("/apps/{app}/rollback")
    @ResponseStatus(HttpStatus.CREATED)
    public ReleaseChange rollback(@PathVariable String app) {
        return releases.rollback(app, null);
    }

    @GetMapping("/apps/{app}/env")
    public Map<String, String> getEnv(@PathVariable String app) {
        return releases.env(app);
    }

    /** Sets config vars (string values) and unsets them (null values): a new release, deployed. */
    @PatchMapping("/apps/{app}/env")
    @ApiResponse(responseCode = "201", description = "a new release, and the deployment that moves the app to it")
    @ApiResponse(responseCode = "200", description = "nothing changed: the current release, and no deployment")
    public ResponseEntity<ReleaseChange> changeEnv(@PathVariable String app,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(description = "config var name to its new value, "
                    + "or to null to unset it", content = @Content(schema = @Schema(type = "object",
                    additionalPropertiesSchema = NullableString.class)))
            @RequestBody Map<String, String> changes) {
        ReleaseChange change = releases.changeEnv(app, changes);
        return ResponseEntity.status(change.deployment() == null ? HttpStatus.OK : HttpStatus.CREATED).body(change);
    }

    /** A config var's value in {@code PATCH /apps/{app}/env}: a string sets it, null unsets it. */
    @Schema(type = "string", nullable = true)
    private static final class NullableString {
    }
}
