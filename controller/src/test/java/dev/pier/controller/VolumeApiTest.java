package dev.pier.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.App;
import dev.pier.api.NewRelease;
import dev.pier.api.ProcessType;
import dev.pier.api.ProcessVolume;
import dev.pier.api.Release;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A release's process types carry their volumes and fixed host port through the controller; {@code GET /volumes}
 * needs the host leader's view (this controller runs without discoverd: a 503 that says so) and checks its input.
 * The view itself is tested against a real cluster in the scheduler's VolumesClusterTest.
 */
class VolumeApiTest extends ControllerTestSupport {

    @Test
    void aProcessTypesVolumesAndHostPortAreKeptWithItsRelease() {
        App app = newApp("vols");
        ProcessType db = new ProcessType("postgres -D /var/lib/postgresql/data", 5432, null,
                List.of(new ProcessVolume("/var/lib/postgresql/data", 1024)), 25432);
        Release release = client.createRelease(app.name(), new NewRelease(null, Map.of(), Map.of("db", db,
                "web", ProcessType.web("serve")), Map.of(), "with a volume"));

        Release read = client.release(app.name(), release.id());
        assertThat(read.processes().get("db")).isEqualTo(db);
        assertThat(read.processes().get("web").volumes()).isEmpty();
        assertThat(read.processes().get("web").hostPort()).isNull();
    }

    @Test
    void theClusterVolumesNeedDiscoverdAndAValidAppName() throws Exception {
        var unavailable = raw("GET", "/volumes", null);
        assertThat(unavailable.statusCode()).isEqualTo(503);
        assertThat(unavailable.body()).contains("volumes need discoverd");
        var bad = raw("GET", "/volumes?app=Bad_App", null);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("\"field\":\"app\"");
        assertThat(raw("DELETE", "/volumes/..%2Fetc", null).statusCode()).isBetween(400, 404);
        assertThat(raw("DELETE", "/volumes/shop.db.0", null).statusCode()).isEqualTo(503);
    }
}
