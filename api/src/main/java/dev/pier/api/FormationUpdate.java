package dev.pier.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * {@code PUT /apps/{app}/formations/{release}}: the wanted count of each process type, 0 to 100, and, when given,
 * the memory limit of each type's jobs in MB ({@code memory_mb}, 32 to 65536; it replaces the formation's: a type
 * it leaves out gets the default). Without {@code memory_mb} the formation's limits stay as they are.
 */
public record FormationUpdate(@JsonProperty(required = true) Map<String, Integer> processes, Map<String, Integer> memoryMb) {

    public FormationUpdate(Map<String, Integer> processes) {
        this(processes, null);
    }
}
