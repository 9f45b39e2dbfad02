package dev.pier.router.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.router.RouterProperties;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every way a router setting was given under Spring Boot's relaxed binding still sets it, in the same order. */
class SettingsTest {

    private static Settings settings(String[] args, Map<String, String> sys, Map<String, String> env) {
        return Settings.of(args, sys, env, RouterProperties.ENVIRONMENT_ALIASES);
    }

    @Test
    void anArgumentBeatsASystemPropertyWhichBeatsTheEnvironmentWhichBeatsAnAliasAndTheDefault() {
        Map<String, String> env = Map.of("PIER_ROUTER_PORT", "3", "PIER_ROUTER_CLUSTER_KEY", "from-env",
                "PIER_CLUSTER_KEY", "from-alias");
        assertThat(settings(new String[] {"--pier.router.port=1"}, Map.of("pier.router.port", "2"), env)
                .integer("pier.router.port", 8080)).isEqualTo(1);
        assertThat(settings(new String[0], Map.of("pier.router.port", "2"), env).integer("pier.router.port", 8080))
                .isEqualTo(2);
        assertThat(settings(new String[0], Map.of(), env).integer("pier.router.port", 8080)).isEqualTo(3);
        assertThat(settings(new String[0], Map.of(), Map.of()).integer("pier.router.port", 8080)).isEqualTo(8080);
        assertThat(settings(new String[0], Map.of(), env).string("pier.router.cluster-key", "")).isEqualTo("from-env");
        assertThat(settings(new String[0], Map.of(), Map.of("PIER_CLUSTER_KEY", "from-alias"))
                .string("pier.router.cluster-key", "")).isEqualTo("from-alias");
    }

    @Test
    void aDashedNameIsSetByItsEnvironmentVariableWithOrWithoutTheUnderscore() {
        assertThat(settings(new String[0], Map.of(), Map.of("PIER_ROUTER_CONTROLLER_URL", "http://a:1"))
                .uri("pier.router.controller-url", null)).isEqualTo(URI.create("http://a:1"));
        assertThat(settings(new String[0], Map.of(), Map.of("PIER_ROUTER_CONTROLLERURL", "http://b:2"))
                .uri("pier.router.controller-url", null)).isEqualTo(URI.create("http://b:2"));
        assertThat(settings(new String[0], Map.of(), Map.of("PIER_ROUTER_ADDRESS", "0.0.0.0"))
                .string("pier.router.bind-address", "127.0.0.1")).isEqualTo("0.0.0.0");
    }

    @Test
    void durationsListsAndBooleansReadAsSpringReadThem() {
        Settings s = settings(new String[] {"--a=500ms", "--b=5s", "--c=2m", "--d=PT1H", "--e=250", "--f= x, ,y ",
                "--g=TRUE"}, Map.of(), Map.of());
        assertThat(s.duration("a", null)).isEqualTo(Duration.ofMillis(500));
        assertThat(s.duration("b", null)).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.duration("c", null)).isEqualTo(Duration.ofMinutes(2));
        assertThat(s.duration("d", null)).isEqualTo(Duration.ofHours(1));
        assertThat(s.duration("e", null)).as("a bare number is milliseconds").isEqualTo(Duration.ofMillis(250));
        assertThat(s.list("f")).isEqualTo(List.of("x", "y"));
        assertThat(s.bool("g", false)).isTrue();
    }

    @Test
    void aValueThatCannotBeReadNamesTheSettingAndWhatItWants() {
        Settings s = settings(new String[] {"--pier.router.port=eighty", "--pier.router.route-poll=soon",
                "--pier.router.metrics.enabled=yes"}, Map.of(), Map.of());
        assertThatThrownBy(() -> s.integer("pier.router.port", 0))
                .hasMessage("pier.router.port: 'eighty' is not a whole number");
        assertThatThrownBy(() -> s.duration("pier.router.route-poll", null))
                .hasMessage("pier.router.route-poll: 'soon' is not a duration such as 500ms, 5s, 2m or PT5S");
        assertThatThrownBy(() -> s.bool("pier.router.metrics.enabled", true))
                .hasMessage("pier.router.metrics.enabled: 'yes' is not true or false");
        assertThatThrownBy(() -> settings(new String[] {"8080"}, Map.of(), Map.of()))
                .hasMessageContaining("unknown argument '8080'");
    }

    @Test
    void theRouterPropertiesDefaultsAreTheDocumentedOnesAndRangesAreChecked() {
        RouterProperties p = RouterProperties.from(settings(new String[] {"--pier.router.cluster-key=k"}, Map.of(),
                Map.of()));
        assertThat(p.port()).isEqualTo(8080);
        assertThat(p.adminPort()).isEqualTo(8081);
        assertThat(p.tlsPort()).isEqualTo(8443);
        assertThat(p.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(p.responseTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(p.idleTimeout()).isEqualTo(Duration.ofSeconds(75));
        assertThat(p.maxConnectionsPerInstance()).isEqualTo(500);
        assertThat(p.trustedProxies()).isEmpty();
        assertThatThrownBy(() -> RouterProperties.from(settings(new String[] {"--pier.router.cluster-key=k",
                "--pier.router.max-header-size=10"}, Map.of(), Map.of())))
                .hasMessage("pier.router.max-header-size: 10 is out of range: it must be at least 1024");
    }
}
