package dev.pier.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** {@code PUT /apps/{app}/formations/{release}}: the wanted count of each process type, 0 to 100. */
public record FormationUpdate(@JsonProperty(required = true) Map<String, Integer> processes) {
}
