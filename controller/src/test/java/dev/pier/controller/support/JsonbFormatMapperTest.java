package dev.pier.controller.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.pier.api.HealthCheck;
import dev.pier.api.ProcessType;
import dev.pier.api.http.Json;
import java.lang.reflect.Type;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonbFormatMapperTest {
    private static final Type PROCESSES = new TypeReference<Map<String, ProcessType>>() { }.getType();
    private final JsonbFormatMapper mapper = new JsonbFormatMapper(Json.mapper());

    @Test
    void processTypesRoundTripInTheWireDialect() {
        Map<String, ProcessType> processes = Map.of("web", new ProcessType("npm start", 8080, HealthCheck.http("/health").withGrace(30)));
        String json = mapper.toString(processes, PROCESSES);
        assertThat(json).contains("\"health_check\"");
        for (int i = 0; i < 3; i++) { // the second and later reads use the reader made by the first
            Map<String, ProcessType> read = mapper.fromString(json, PROCESSES);
            assertThat(read).isEqualTo(processes);
        }
    }

    @Test
    void anUnreadableValueNamesTheTypeItShouldHaveBeen() {
        assertThatThrownBy(() -> mapper.fromString("{\"web\": 5", PROCESSES))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.util.Map<java.lang.String, dev.pier.api.ProcessType>");
    }
}
