package dev.pier.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pier.api.App;
import dev.pier.api.JobReport;
import dev.pier.api.JobState;
import dev.pier.api.Release;
import dev.pier.api.attach.JobAttachment;
import dev.pier.api.controller.ControllerClient;
import dev.pier.api.http.PierApiException;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

/**
 * The attach WebSocket's refusals that need no cluster: the key on the upgrade, unknown apps and jobs, ended
 * jobs, and a controller without discoverd. Attaching to real jobs is tested on a real cluster (the scheduler's
 * cluster test, and the CLI's run test).
 */
class AttachApiTest extends ControllerTestSupport {
    /** How many requests Tomcat lets one kept-alive connection carry; its answer to the last says it closes. */
    @Value("${server.tomcat.max-keep-alive-requests:100}")
    private int keepAliveRequests;

    private PierApiException attachFails(ControllerClient controller, String app, String job) {
        return catchThrowableOfType(PierApiException.class, () -> {
            try (JobAttachment attachment = controller.attach(app, job, bytes -> { })) {
                attachment.awaitExit();
            }
        });
    }

    @Test
    void theUpgradeNeedsTheClusterKey() {
        ControllerClient stranger = new ControllerClient(URI.create("http://127.0.0.1:" + port), "wrong-key");
        PierApiException refused = attachFails(stranger, "shop", "shop-run-1");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.getMessage()).isEqualTo("the cluster key is wrong");
    }

    @Test
    void unknownAppsAndJobsEndedJobsAndAMissingDiscoverdCloseWithTheReason() {
        PierApiException noApp = attachFails(client, uniqueName("nope"), "x-run-1");
        assertThat(noApp.status()).isEqualTo(404);
        assertThat(noApp.getMessage()).endsWith("not found");

        App app = newApp("attach");
        PierApiException noJob = attachFails(client, app.name(), "missing-job");
        assertThat(noJob.status()).isEqualTo(404);
        assertThat(noJob.getMessage()).isEqualTo("app '" + app.name() + "' has no job missing-job");

        Release release = webRelease(app.name(), Map.of());
        String ended = app.name() + "-run-" + uniqueName("e");
        client.reportJob(app.name(), ended, new JobReport(release.id(), "run", "host-1", JobState.CRASHED,
                "exited with status 3", 3, null, null, null));
        PierApiException over = attachFails(client, app.name(), ended);
        assertThat(over.status()).isEqualTo(409);
        assertThat(over.getMessage()).isEqualTo("job " + ended + " is crashed (exited with status 3): nothing to attach to");

        String running = app.name() + "-run-" + uniqueName("r");
        client.reportJob(app.name(), running, new JobReport(release.id(), "run", "host-1", JobState.UP, null, null,
                null, null, null));
        PierApiException noDiscoverd = attachFails(client, app.name(), running);
        assertThat(noDiscoverd.status()).isEqualTo(503);
        assertThat(noDiscoverd.getMessage()).contains("discoverd");
    }

    @Test
    void anAttachOpensEvenWhenItWouldBeTheLastRequestOfAKeptAliveConnection() {
        ControllerClient busy = new ControllerClient(URI.create("http://127.0.0.1:" + port), KEY);
        for (int call = 1; call < keepAliveRequests; call++) {
            busy.apps(); // one after another: all on one kept-alive connection
        }
        String app = uniqueName("gone");
        PierApiException refused = attachFails(busy, app, "x-run-1");
        assertThat(refused.getMessage()).as("the controller's answer, not a broken handshake")
                .isEqualTo("app '" + app + "' not found");
        assertThat(refused.status()).isEqualTo(404);
    }
}
