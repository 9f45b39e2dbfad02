package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.pier.api.App;
import dev.pier.api.http.Json;
import dev.pier.cli.config.ConfigStore;
import dev.pier.controller.ControllerApplication;
import dev.pier.testkit.Command;
import dev.pier.testkit.PostgresServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The real CLI against a real controller and PostgreSQL, in a real git repository. */
@SpringBootTest(classes = ControllerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"pier.cluster-key=" + CliTest.KEY, "server.address=127.0.0.1"})
class CliTest {
    static final String KEY = "cli-test-key";
    private static final String DATABASE = PostgresServer.shared().newDatabase();

    @LocalServerPort
    int port;
    @TempDir
    Path home;
    Path repo;
    ConfigStore store;

    record Result(int code, String out, String err) {
    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> DATABASE);
        registry.add("spring.datasource.username", () -> PostgresServer.USER);
    }

    @BeforeEach
    void setUp() throws Exception {
        store = new ConfigStore(home.resolve(".pier/config.json"));
        repo = Files.createDirectory(home.resolve("repo"));
        Command.check(Duration.ofSeconds(20), List.of("git", "init", "-q", repo.toString()));
        assertThat(pier("cluster", "add", "local", "http://127.0.0.1:" + port, KEY).code()).isZero();
    }

    Result pier(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Pier.execute(args, store, repo, new PrintWriter(out), new PrintWriter(err), new SystemTerminal());
        return new Result(code, out.toString(), err.toString());
    }

    static String name(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    @Test
    void clusterConfigIsPrivateAndEditable() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file().getParent()))).isEqualTo("rwx------");
        assertThat(pier("cluster", "add", "other", "http://10.0.0.9:8300", "k2").out()).contains("Cluster 'other' added.");
        assertThat(pier("cluster", "default").out().strip()).isEqualTo("local");
        assertThat(pier("cluster", "default", "other").code()).isZero();
        Result list = pier("cluster", "list");
        assertThat(list.out()).containsPattern("(?m)^\\*\\s+other\\s").contains("local", "ssh://git@10.0.0.9:2222");
        assertThat(pier("cluster", "--json").out()).doesNotContain("k2").contains("\"controller_url\"");
        assertThat(pier("cluster", "remove", "other").code()).isZero();
        assertThat(pier("cluster", "default").out().strip()).isEqualTo("local");
        Result bad = pier("cluster", "add", "x", "not a url", "k");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).isEqualTo("pier: controller URL 'not a url' is not an http(s) URL\n");
    }

    @Test
    void createAddsTheGitRemoteAndEverythingFindsTheAppThroughIt() throws Exception {
        String app = name("cli");
        Result created = pier("create", app);
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.out()).contains("Created " + app, "Added git remote pier: ssh://git@127.0.0.1:2222/" + app + ".git");
        assertThat(Command.check(Duration.ofSeconds(10), List.of("git", "-C", repo.toString(), "remote", "get-url", "pier")))
                .contains(app + ".git");

        assertThat(pier("apps").out()).contains(app);
        List<App> apps = Json.mapper().readValue(pier("apps", "--json").out(), new TypeReference<>() { });
        assertThat(apps).extracting(App::name).contains(app);
        assertThat(pier("info").out()).contains("=== " + app, "none yet", app + ".pier.localhost");

        assertThat(pier("env", "set", "GREETING=hello world", "N=1").out()).contains("Set GREETING, N on " + app + ": v1");
        assertThat(pier("env", "get", "GREETING").out()).isEqualTo("hello world\n");
        assertThat(pier("env").out()).isEqualTo("GREETING=hello world\nN=1\n");
        assertThat(pier("env", "unset", "N").out()).contains("v2");
        Map<String, String> env = Json.mapper().readValue(pier("env", "--json").out(), new TypeReference<>() { });
        assertThat(env).containsExactly(Map.entry("GREETING", "hello world"));
        Result missing = pier("env", "get", "N");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("pier: config var N is not set\n");

        Result releases = pier("release");
        assertThat(releases.out()).contains("* ", "v2", "v1", "Set -N");
        assertThat(pier("release", "show", "v1").out()).contains("Release:", "v1", "N=1");
        assertThat(pier("rollback").out()).contains("Rollback to v1, now v3");
        assertThat(pier("env", "get", "N").out()).isEqualTo("1\n");
        assertThat(pier("rollback", "v2").out()).contains("Rollback to v2, now v4");
        assertThat(pier("deployment").out()).contains("complete");

        assertThat(pier("route", "add", "www.example.org").out()).contains("Routed www.example.org to " + app);
        assertThat(pier("route").out()).contains("www.example.org", app + "-web");
        assertThat(pier("route", "remove", "www.example.org").code()).isZero();
        assertThat(pier("route", "--json").out()).doesNotContain("www.example.org");

        Result noYes = pier("delete");
        assertThat(noYes.code()).isEqualTo(1);
        assertThat(noYes.err()).contains("needs confirmation", "--yes");
        assertThat(pier("delete", "--yes").out()).contains("Deleted " + app, "Removed git remote pier");
        assertThat(pier("apps").out()).doesNotContain(app);
    }

    /** This controller runs without discoverd, so it has no cluster view: the command says why, and asks first. */
    @Test
    void volumesSaysWhyItCannotListAndDeleteAsksFirst() {
        Result list = pier("volumes");
        assertThat(list.code()).isEqualTo(1);
        assertThat(list.err()).contains("volumes need discoverd");
        Result noYes = pier("volumes", "delete", "shop.db.0");
        assertThat(noYes.code()).isEqualTo(1);
        assertThat(noYes.err()).contains("needs confirmation", "--yes");
        Result bad = pier("volumes", "delete", "../etc", "--yes");
        assertThat(bad.code()).isEqualTo(1);
    }

    @Test
    void scaleValidatesItsArgumentsAndScalesTheCurrentRelease() throws Exception {
        String app = name("scale");
        pier("create", app, "--no-remote");
        Result early = pier("-a", app, "scale", "web=1");
        assertThat(early.err()).isEqualTo("pier: '" + app + "' has no release yet: push code first\n");

        var client = new dev.pier.api.controller.ControllerClient(java.net.URI.create("http://127.0.0.1:" + port), KEY);
        var release = client.createRelease(app, new dev.pier.api.NewRelease(null, Map.of(),
                Map.of("web", dev.pier.api.ProcessType.web("node server.js")), Map.of(), null));
        // no scheduler runs here: complete the first deploy as its deployment runner would once the job serves
        var deployment = client.deploy(app, new dev.pier.api.NewDeployment(release.id(), null));
        client.updateDeployment(deployment.id(), new dev.pier.api.DeploymentUpdate(dev.pier.api.DeploymentStatus.RUNNING, null));
        client.scale(app, release.id(), deployment.processes());
        client.updateDeployment(deployment.id(), new dev.pier.api.DeploymentUpdate(dev.pier.api.DeploymentStatus.COMPLETE, null));

        for (String bad : List.of("web=abc", "web", "=3", "Web=1", "web=101", "web=-1")) {
            Result result = pier("-a", app, "scale", bad);
            assertThat(result.code()).as(bad).isEqualTo(1);
            assertThat(result.err()).as(bad).startsWith("pier: ").doesNotContain("Exception").hasLineCount(1);
        }
        assertThat(pier("-a", app, "scale", "worker=1").err()).contains("has no process type 'worker'");
        assertThat(pier("-a", app, "scale", "web=3", "--no-wait").out()).contains("Scaling " + app + " to web=3");
        assertThat(pier("-a", app, "scale").out()).isEqualTo("web=3\n");
        assertThat(pier("-a", app, "ps").out()).startsWith("ID");
        assertThat(pier("-a", app, "ps", "--json").out().strip()).isEqualTo("[ ]");
    }

    @Test
    void keysAreAddedFromFilesAndRemovedByFingerprint() throws Exception {
        Path key = home.resolve("id_ed25519");
        Command.check(Duration.ofSeconds(20), List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "cli@test",
                "-f", key.toString()));
        Result added = pier("key", "add", key + ".pub");
        assertThat(added.out()).startsWith("Added key SHA256:").contains("(cli@test)");
        String fingerprint = added.out().split(" ")[2];
        assertThat(pier("key").out()).contains(fingerprint, "ssh-ed25519", "cli@test");
        Result privateKey = pier("key", "add", key.toString());
        assertThat(privateKey.err()).contains("looks like a PRIVATE key");
        assertThat(pier("key", "add", key + ".pub").err()).contains("already added");
        assertThat(pier("key", "remove", fingerprint).out()).contains("Removed key");
        assertThat(pier("key", "list").out()).doesNotContain(fingerprint);
    }

    @Test
    void errorsAreOneClearLine() {
        Result unknown = pier("-a", "nope-" + UUID.randomUUID().toString().substring(0, 4), "info");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).matches("pier: app 'nope-[0-9a-f]{4}' not found\n");
        Result noApp = pier("info");
        assertThat(noApp.err()).isEqualTo("pier: no app: give -a APP, or run this inside a git repository with a 'pier' remote\n");
        Result badName = pier("-a", "Bad_Name", "info");
        assertThat(badName.err()).startsWith("pier: app name 'Bad_Name' is invalid");
        Result noCluster = pier("-c", "ghost", "apps");
        assertThat(noCluster.err()).isEqualTo("pier: no cluster named 'ghost' (see 'pier cluster list')\n");
        String app = name("nolog");
        pier("create", app, "--no-remote");
        Result noLogs = pier("-a", app, "log");
        assertThat(noLogs.code()).isEqualTo(1);
        assertThat(noLogs.err()).isEqualTo("pier: app logs need discoverd: set pier.controller.discoverd-url\n");
        assertThat(pier("-a", app, "log", "-n", "-1").err()).isEqualTo("pier: -n takes a number from 0 to 10000\n");
        Result usage = pier("scale", "--timeout", "soon");
        assertThat(usage.code()).isEqualTo(2);
        assertThat(pier("--help").out()).contains("Usage: pier", "scale", "rollback", "generate-completion");
        assertThat(pier("env", "set", "--help").out()).contains("NAME=VALUE");
        Result typo = pier("appz");
        assertThat(typo.code()).isEqualTo(2);
        assertThat(typo.err()).contains("Unmatched argument at index 0: 'appz'", "Did you mean: pier apps?");
        assertThat(pier("generate-completion").out()).contains("deployment", "rollback", "scale");
        assertThat(pier("apps", "-c", "ghost").err()).as("root options work after the command too")
                .isEqualTo("pier: no cluster named 'ghost' (see 'pier cluster list')\n");
    }

    /** {@code pier pg psql -c SQL} as {@code psql -c}: there -c is the SQL, and the cluster is --cluster or -c before pg. */
    @Test
    void psqlTakesDashCAsItsSqlAndTheClusterStaysReachable() {
        Result help = pier("pg", "psql", "--help");
        assertThat(help.out()).contains("-C, -c, --command=SQL").contains("--cluster=NAME")
                .doesNotContain("-c, --cluster");
        Result sql = pier("-a", "no-such-app", "pg", "psql", "-c", "SELECT 1");
        assertThat(sql.code()).isEqualTo(1);
        assertThat(sql.err()).as("-c was read as the SQL, not a cluster").doesNotContain("no cluster")
                .contains("no-such-app");
        assertThat(pier("-a", "no-such-app", "pg", "psql", "--cluster", "elsewhere", "-c", "SELECT 1").err())
                .contains("no cluster named 'elsewhere'");
        assertThat(pier("-c", "elsewhere", "-a", "no-such-app", "pg", "psql", "-c", "SELECT 1").err())
                .contains("no cluster named 'elsewhere'");
        assertThat(pier("-a", "no-such-app", "env", "-c", "elsewhere").err()).as("other commands keep -c")
                .contains("no cluster named 'elsewhere'");
    }
}
