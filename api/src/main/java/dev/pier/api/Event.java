package dev.pier.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** One entry of the append-only event log; {@code data} is the object as it was after the change. */
public record Event(
        long id,
        String app,
        String objectType,
        String objectId,
        JsonNode data,
        Instant createdAt) {
}
