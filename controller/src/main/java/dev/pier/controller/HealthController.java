package dev.pier.controller;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.Map;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /health}, open to all: the controller is healthy once it has fully started (its server can answer
 * before the repositories are ready) and while it can reach PostgreSQL.
 */
@RestController
public class HealthController {
    private final JdbcTemplate jdbc;
    private final ApplicationAvailability availability;

    public HealthController(JdbcTemplate jdbc, ApplicationAvailability availability) {
        this.jdbc = jdbc;
        this.availability = availability;
    }

    @GetMapping("/health")
    @ApiResponse(responseCode = "200", description = "the controller and its database are up")
    @ApiResponse(responseCode = "503", description = "still starting, or PostgreSQL cannot be reached",
            content = @Content(mediaType = "application/json", schema = @Schema(type = "object",
                    additionalPropertiesSchema = String.class)))
    public ResponseEntity<Map<String, String>> health() {
        if (availability.getReadinessState() != ReadinessState.ACCEPTING_TRAFFIC) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("status", "starting"));
        }
        try {
            jdbc.queryForObject("SELECT 1", Integer.class);
            return ResponseEntity.ok(Map.of("status", "ok", "database", "ok"));
        } catch (RuntimeException e) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .body(Map.of("status", "unavailable", "database", String.valueOf(e.getMessage())));
        }
    }
}
