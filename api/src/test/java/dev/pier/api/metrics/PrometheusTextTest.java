package dev.pier.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    @Test
    void readsSamplesWithLabelsEscapesAndSpecialValues() {
        List<PrometheusText.Sample> samples = PrometheusText.parse("""
                # HELP pier_router_requests_total Answers.
                # TYPE pier_router_requests_total counter
                pier_router_requests_total{app="shop",process_type="web",status_class="2xx"} 12.0
                weird{a="x\\"y\\\\z\\n",b=""} -Inf
                bucket{le="+Inf"} +Inf 1700000000000
                plain 3

                nan NaN
                """);
        assertThat(samples).hasSize(5);
        assertThat(samples.get(0)).isEqualTo(new PrometheusText.Sample("pier_router_requests_total",
                Map.of("app", "shop", "process_type", "web", "status_class", "2xx"), 12.0));
        assertThat(samples.get(1).label("a")).isEqualTo("x\"y\\z\n");
        assertThat(samples.get(1).label("b")).isEmpty();
        assertThat(samples.get(1).value()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(samples.get(2).label("le")).isEqualTo("+Inf");
        assertThat(samples.get(2).value()).isInfinite();
        assertThat(samples.get(3).labels()).isEmpty();
        assertThat(samples.get(4).value()).isNaN();
    }

    @Test
    void aLineThatIsNoSampleIsNamed() {
        assertThatThrownBy(() -> PrometheusText.parse("ok 1\nbroken{app=\"x\" 1\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2");
        assertThatThrownBy(() -> PrometheusText.parse("novalue\n")).hasMessageContaining("no value");
        assertThatThrownBy(() -> PrometheusText.parse("x abc\n")).isInstanceOf(IllegalArgumentException.class);
    }
}
