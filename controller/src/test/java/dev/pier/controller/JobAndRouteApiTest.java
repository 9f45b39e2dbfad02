package dev.pier.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.App;
import dev.pier.api.Job;
import dev.pier.api.JobReport;
import dev.pier.api.JobState;
import dev.pier.api.NewRoute;
import dev.pier.api.Release;
import dev.pier.api.Route;
import dev.pier.api.SshKey;
import dev.pier.testkit.Command;
import dev.pier.testkit.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobAndRouteApiTest extends ControllerTestSupport {

    private static JobReport report(Release release, JobState state) {
        return new JobReport(release.id(), "web", "host-1", state, null, null, null, null, null);
    }

    @Test
    void jobsMoveOnlyAlongTheStateTable() {
        App app = newApp("jobs");
        Release release = webRelease(app.name(), Map.of());
        String id = "host-1-" + uniqueName("j");
        Job pending = client.reportJob(app.name(), id, report(release, JobState.PENDING));
        assertThat(pending.state()).isEqualTo(JobState.PENDING);
        assertThat(client.reportJob(app.name(), id, report(release, JobState.STARTING)).state()).isEqualTo(JobState.STARTING);
        Job up = client.reportJob(app.name(), id, new JobReport(null, null, null, JobState.UP, null, null, 0, null,
                "127.0.0.1:20001"));
        assertThat(up.address()).isEqualTo("127.0.0.1:20001");
        assertThat(up.hostId()).isEqualTo("host-1");
        assertProblem(() -> client.reportJob(app.name(), id, report(release, JobState.PENDING)), 409,
                "cannot move from up to pending");
        Job crashed = client.reportJob(app.name(), id, new JobReport(null, null, null, JobState.CRASHED,
                "exited with status 3", 3, null, null, null));
        assertThat(crashed.exitStatus()).isEqualTo(3);
        assertThat(crashed.reason()).isEqualTo("exited with status 3");
        assertProblem(() -> client.reportJob(app.name(), id, report(release, JobState.UP)), 409, "cannot move from crashed");

        String other = "host-2-" + uniqueName("j");
        client.reportJob(app.name(), other, report(release, JobState.UP));
        assertThat(client.jobs(app.name(), false)).extracting(Job::id).containsExactlyInAnyOrder(id, other);
        assertThat(client.jobs(app.name(), true)).extracting(Job::id).containsExactly(other);
        assertThat(client.allJobs(true)).extracting(Job::id).contains(other).doesNotContain(id);
        assertThat(client.job(app.name(), id).state()).isEqualTo(JobState.CRASHED);

        App stranger = newApp("stranger");
        assertProblem(() -> client.reportJob(stranger.name(), id, report(release, JobState.DOWN)), 404, "has no job");
        assertProblem(() -> client.reportJob(app.name(), "new-" + uniqueName("j"),
                new JobReport(null, "web", null, JobState.PENDING, null, null, null, null, null)), 400, "release_id is required");
    }

    @Test
    void routesAreUniqueClusterWideAndRemovableByDomainOrId() {
        App app = newApp("web");
        App other = newApp("other");
        Route route = client.addRoute(app.name(), NewRoute.http("Shop.Example.COM"));
        assertThat(route.domain()).isEqualTo("shop.example.com");
        assertThat(route.service()).isEqualTo(app.name() + "-web");
        assertProblem(() -> client.addRoute(other.name(), NewRoute.http("shop.example.com")), 409, "already routed");
        assertThat(client.allRoutes()).extracting(Route::domain).contains("shop.example.com");
        client.removeRoute(app.name(), "shop.example.com");
        assertThat(client.routes(app.name())).extracting(Route::domain).containsExactly(app.name() + ".pier.localhost");
        Route again = client.addRoute(other.name(), NewRoute.http("shop.example.com"));
        assertProblem(() -> client.removeRoute(app.name(), again.id().toString()), 404, "has no route");
        client.removeRoute(other.name(), again.id().toString());
        assertProblem(() -> client.addRoute(app.name(), new NewRoute("tls.example.com", "not a cert", "x")), 400,
                "tls_cert: the certificate is not a PEM X.509 chain");
        assertProblem(() -> client.addRoute(app.name(), new NewRoute("tls.example.com", null, "x")), 400,
                "needs both tls_cert and tls_key");
    }

    @Test
    void tlsRoutesKeepTheirKeyOutOfAppListings(@TempDir Path dir) throws Exception {
        Command.check(Duration.ofSeconds(60), List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString(),
                "-days", "2", "-subj", "/CN=secure.example.com"));
        App app = newApp("tls");
        String cert = Files.readString(dir.resolve("cert.pem"));
        String key = Files.readString(dir.resolve("key.pem"));
        Route route = client.addRoute(app.name(), new NewRoute("secure.example.com", cert, key));
        assertThat(route.tlsCert()).isEqualTo(cert);
        assertThat(route.tlsKey()).isNull();
        assertThat(client.routes(app.name())).allMatch(r -> r.tlsKey() == null);
        assertThat(client.allRoutes()).filteredOn(r -> r.domain().equals("secure.example.com"))
                .singleElement().satisfies(r -> assertThat(r.tlsKey()).isEqualTo(key));
    }

    @Test
    void aTlsRouteWhoseKeyIsMalformedOrNotTheCertificatesIsRefusedAndNothingIsAdded() {
        App app = newApp("badtls");
        TestCertificates.Pair shop = TestCertificates.selfSigned("shop.example.test");
        TestCertificates.Pair blog = TestCertificates.selfSigned("blog.example.test");
        assertProblem(() -> client.addRoute(app.name(), new NewRoute("shop.example.test", shop.certPem(),
                blog.keyPem())), 400, "tls_key does not belong to the first certificate of tls_cert");
        assertProblem(() -> client.addRoute(app.name(), new NewRoute("shop.example.test", shop.certPem(),
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")), 400, "tls_key: ");
        assertProblem(() -> client.addRoute(app.name(), new NewRoute("shop.example.test", shop.certPem(),
                "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n")), 400, "openssl pkcs8");
        assertThat(client.routes(app.name())).extracting(Route::domain).containsExactly(app.name() + ".pier.localhost");
        Route ok = client.addRoute(app.name(), new NewRoute("shop.example.test", shop.certPem(),
                TestCertificates.traditionalRsaKey(shop.keyPem())));
        assertThat(ok.tlsCert()).isEqualTo(shop.certPem());
    }

    @Test
    void sshKeysAreValidatedAndIdentifiedByFingerprint(@TempDir Path dir) throws Exception {
        Path keyFile = dir.resolve("id_ed25519");
        Command.check(Duration.ofSeconds(30), List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "ana@laptop",
                "-f", keyFile.toString()));
        String expected = Command.check(Duration.ofSeconds(30), List.of("ssh-keygen", "-l", "-E", "sha256", "-f",
                keyFile + ".pub")).split(" ")[1];
        SshKey key = client.addKey(Files.readString(Path.of(keyFile + ".pub")));
        assertThat(key.fingerprint()).isEqualTo(expected);
        assertThat(key.comment()).isEqualTo("ana@laptop");
        assertThat(key.type()).isEqualTo("ssh-ed25519");
        assertThat(client.key(expected)).isEqualTo(key);
        assertThat(client.key(key.id())).isEqualTo(key);
        assertThat(client.keys()).contains(key);
        assertProblem(() -> client.addKey(Files.readString(Path.of(keyFile + ".pub"))), 409, "already added");
        assertProblem(() -> client.addKey(Files.readString(keyFile)), 400, "PRIVATE key");
        assertProblem(() -> client.addKey("ssh-ed25519 AAAAnotbase64!!"), 400, "not valid base64");
        assertProblem(() -> client.addKey("ssh-dss AAAAB3NzaC1kc3M="), 400, "not supported");
        client.removeKey(expected);
        assertProblem(() -> client.key(expected), 404, "no key");
    }
}
