package dev.pier.discoverd.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.web.ApiProblem;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InputTest {

    @Test
    void namesFollowTheServiceRule() {
        assertThat(Input.service("pier-host.v2")).isEqualTo("pier-host.v2");
        for (String bad : new String[] {"", "Upper", "-lead", ".lead", "a/b", "a_b", "x".repeat(64), "é"}) {
            assertThatThrownBy(() -> Input.service(bad)).isInstanceOfSatisfying(ApiProblem.class,
                    e -> assertThat(e.field()).isEqualTo("service"));
        }
        assertThatThrownBy(() -> Input.id("id", null)).isInstanceOfSatisfying(ApiProblem.class,
                e -> assertThat(e.field()).isEqualTo("id"));
    }

    @Test
    void addressesAreHostColonPort() {
        assertThat(Input.address("127.0.0.1:8080")).isEqualTo("127.0.0.1:8080");
        assertThat(Input.address("[::1]:80")).isEqualTo("[::1]:80");
        for (String bad : new String[] {"", "host", ":80", "host:", "host:0", "host:65536", "host:8o", "a b:1"}) {
            assertThatThrownBy(() -> Input.address(bad)).as(bad).isInstanceOfSatisfying(ApiProblem.class,
                    e -> assertThat(e.field()).isEqualTo("address"));
        }
    }

    @Test
    void ttlAndMetaAreBounded() {
        assertThat(Input.ttl(null, Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));
        assertThat(Input.ttl(300, Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(300));
        assertThatThrownBy(() -> Input.ttl(0, Duration.ofSeconds(5))).isInstanceOf(ApiProblem.class);
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("k", null);
        assertThatThrownBy(() -> Input.meta(nullValue)).isInstanceOfSatisfying(ApiProblem.class,
                e -> assertThat(e.field()).isEqualTo("meta.k"));
        assertThat(Input.meta(null)).isEmpty();
    }

    @Test
    void keysRoundTrip() {
        Keys keys = new Keys("/pier/discoverd");
        String key = keys.of(Keys.Kind.CANDIDATE, "pier-scheduler", "host-1");
        assertThat(key).isEqualTo("/pier/discoverd/services/pier-scheduler/candidates/host-1");
        assertThat(keys.parse(key)).contains(new Keys.Path("pier-scheduler", Keys.Kind.CANDIDATE, "host-1"));
        assertThat(keys.parse("/pier/discoverd/services/x/other/y")).isEmpty();
        assertThat(keys.parse("/elsewhere/x")).isEmpty();
    }
}
