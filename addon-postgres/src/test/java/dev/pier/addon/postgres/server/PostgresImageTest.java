package dev.pier.addon.postgres.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pier.addon.postgres.provision.Credentials;
import dev.pier.addon.postgres.provision.Provisioner;
import dev.pier.addon.postgres.provision.Provisioners;
import dev.pier.testkit.AddonImages;
import dev.pier.testkit.Command;
import dev.pier.testkit.DockerEngine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server image docker/build-addons makes (built once, then found by its recipe's tag in about a second), run as
 * the system app runs it: the start script makes a cluster on the volume with the superuser's password, checks
 * every TCP login by password, speaks SSL to a client that asks, keeps its data across a restart of the container, and carries psql.
 */
class PostgresImageTest {
    static final Duration STEP = Duration.ofMinutes(10);
    static final String PASSWORD = "image-test-superuser-password";
    static final String RUN_ID = DockerEngine.newRunId();
    static final String VOLUME = "pier-test-pg-" + RUN_ID;
    static String image;
    static String container;

    @BeforeAll
    static void buildAndStart() {
        DockerEngine.require();
        image = AddonImages.build(Path.of("").toAbsolutePath().getParent()).image("postgres");
        assertThat(image).startsWith("pier/postgres:");
        container = Command.check(STEP, List.of("docker", "run", "-d", "--label", DockerEngine.TEST_LABEL + "=" + RUN_ID,
                "-e", "POSTGRES_PASSWORD=" + PASSWORD, "-e", "PORT=5432", "-p", "127.0.0.1::5432",
                "-v", VOLUME + ":/var/lib/postgresql/data", image, "/pier/postgres/start")).strip();
    }

    @AfterAll
    static void remove() {
        DockerEngine.removeTestContainers(RUN_ID);
        Command.run(STEP, List.of("docker", "volume", "rm", "-f", VOLUME));
    }

    static String address() {
        String mapped = Command.check(STEP, List.of("docker", "port", container, "5432/tcp")).strip().lines()
                .findFirst().orElseThrow();
        return mapped;
    }

    static Provisioner superuserProvisioner() {
        Provisioners provisioners = new Provisioners("postgres", PASSWORD);
        String address = address();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> {
                    try (Connection c = provisioners.connect(address, "postgres")) {
                        return c.isValid(2);
                    }
                });
        return provisioners.at(address);
    }

    @Test
    void theImageCarriesPostgres15AndPsql() {
        assertThat(Command.check(STEP, List.of("docker", "run", "--rm", image, "postgres", "--version")))
                .contains("(PostgreSQL) 15.");
        assertThat(Command.check(STEP, List.of("docker", "run", "--rm", image, "psql", "--version")))
                .contains("(PostgreSQL) 15.");
    }

    @Test
    void theServerChecksPasswordsIsolatesDatabasesAndKeepsDataAcrossARestart() throws Exception {
        Provisioner provisioner = superuserProvisioner();
        Credentials a = provisioner.provision();
        Credentials b = provisioner.provision();
        String address = address();
        try (Connection app = DriverManager.getConnection("jdbc:postgresql://" + address + "/" + a.database(),
                a.user(), a.password())) {
            app.createStatement().execute("CREATE TABLE kept (body text); INSERT INTO kept VALUES ('row 1')");
        }
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:postgresql://" + address + "/" + a.database(),
                a.user(), "wrong").close()).isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed");
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:postgresql://" + address + "/" + b.database(),
                a.user(), a.password()).close()).isInstanceOf(SQLException.class)
                .hasMessageContaining("permission denied for database");
        // SSL when asked for (JDBC_DATABASE_URL's sslmode=require), with the cluster's own certificate
        try (Connection ssl = DriverManager.getConnection("jdbc:postgresql://" + address + "/" + a.database()
                + "?sslmode=require", a.user(), a.password())) {
            ResultSet used = ssl.createStatement().executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
            assertThat(used.next()).isTrue();
            assertThat(used.getBoolean(1)).isTrue();
        }
        // psql in the image, with the URL an app gets (DATABASE_URL), from inside the container
        String url = a.env("127.0.0.1:5432").get("DATABASE_URL");
        assertThat(Command.check(STEP, List.of("docker", "exec", container, "psql", url, "-tAc", "SELECT body FROM kept")))
                .isEqualTo("row 1\n");

        Command.check(STEP, List.of("docker", "restart", container));

        Provisioner again = superuserProvisioner();
        assertThat(again.find(a.id())).contains(a);
        try (Connection app = DriverManager.getConnection("jdbc:postgresql://" + address() + "/" + a.database(),
                a.user(), a.password())) {
            ResultSet rows = app.createStatement().executeQuery("SELECT body FROM kept");
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("row 1");
        }
    }
}
