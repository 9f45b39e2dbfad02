package dev.pier.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** One entry of the append-only event log; {@code data} is the object as it was after the change. */
public record Event(
        @JsonProperty(required = true) long id,
        String app,
        @JsonProperty(required = true) String objectType,
        String objectId,
        @JsonProperty(required = true) JsonNode data,
        @JsonProperty(required = true) Instant createdAt) {
}
