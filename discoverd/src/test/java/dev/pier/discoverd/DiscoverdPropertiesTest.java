package dev.pier.discoverd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiscoverdPropertiesTest {
    private static DiscoverdProperties with(List<String> endpoints, Duration ttl, String prefix) {
        return new DiscoverdProperties(endpoints, ttl, Duration.ofSeconds(2), Duration.ofSeconds(5), prefix);
    }

    @Test
    void acceptsTheDefaultsShape() {
        DiscoverdProperties properties = with(List.of(" http://127.0.0.1:2379 "), Duration.ofSeconds(5), "/pier/discoverd");
        assertThat(properties.etcdEndpoints()).containsExactly("http://127.0.0.1:2379");
    }

    @Test
    void aBadValueNamesItsProperty() {
        assertThatThrownBy(() -> with(List.of("127.0.0.1:2379"), Duration.ofSeconds(5), "/p"))
                .hasMessageContaining("pier.discoverd.etcd-endpoints");
        assertThatThrownBy(() -> with(List.of(), Duration.ofSeconds(5), "/p"))
                .hasMessageContaining("pier.discoverd.etcd-endpoints");
        assertThatThrownBy(() -> with(List.of("http://h:1"), Duration.ofMillis(1500), "/p"))
                .hasMessageContaining("pier.discoverd.default-ttl");
        assertThatThrownBy(() -> with(List.of("http://h:1"), Duration.ofSeconds(5), "p/"))
                .hasMessageContaining("pier.discoverd.key-prefix");
    }
}
