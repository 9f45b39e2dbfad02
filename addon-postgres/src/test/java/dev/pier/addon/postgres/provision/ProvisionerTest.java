package dev.pier.addon.postgres.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.testkit.PostgresServer;
import dev.pier.testkit.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Provisioning on a real PostgreSQL server whose TCP connections are checked by password (SCRAM) for every role
 * but the test's superuser: a resource's credentials open its database and nothing else, and deprovisioning
 * ends its sessions and leaves neither database nor role behind.
 */
class ProvisionerTest {
    static PostgresServer server;
    static Provisioner provisioner;

    @BeforeAll
    static void start() throws Exception {
        Path bin = PostgresServer.findBinDir();
        Requirements.require(bin != null, "PostgreSQL server binaries (initdb, pg_ctl)");
        server = PostgresServer.start(bin);
        try (Connection admin = superuser("postgres"); Statement sql = admin.createStatement()) {
            ResultSet hba = sql.executeQuery("SHOW hba_file");
            hba.next();
            Files.writeString(Path.of(hba.getString(1)), """
                    local all all trust
                    host all pier 127.0.0.1/32 trust
                    host all all 127.0.0.1/32 scram-sha-256
                    """);
            sql.execute("SELECT pg_reload_conf()");
        }
        provisioner = new Provisioner(ProvisionerTest::superuser);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static Connection superuser(String database) throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(database), PostgresServer.USER, "");
    }

    static Connection as(Credentials credentials, String database) throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(database), credentials.user(), credentials.password());
    }

    @Test
    void aResourceIsADatabaseItsOwnRoleOwnsAndUsesWithItsPassword() throws Exception {
        Credentials credentials = provisioner.provision();

        try (Connection app = as(credentials, credentials.database()); Statement sql = app.createStatement()) {
            sql.execute("CREATE TABLE notes (id serial PRIMARY KEY, body text)");
            sql.execute("INSERT INTO notes (body) VALUES ('first')");
            ResultSet rows = sql.executeQuery("SELECT body, current_user, current_database() FROM notes");
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("first");
            assertThat(rows.getString(2)).isEqualTo(credentials.user());
            assertThat(rows.getString(3)).isEqualTo(credentials.database());
        }
        try (Connection admin = superuser("postgres"); Statement sql = admin.createStatement()) {
            ResultSet owner = sql.executeQuery("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '"
                    + credentials.database() + "'");
            assertThat(owner.next()).isTrue();
            assertThat(owner.getString(1)).isEqualTo(credentials.user());
            ResultSet role = sql.executeQuery("SELECT rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = '"
                    + credentials.user() + "'");
            assertThat(role.next()).isTrue();
            assertThat(role.getBoolean(1) || role.getBoolean(2) || role.getBoolean(3)).isFalse();
        }
        assertThatThrownBy(() -> DriverManager.getConnection(server.jdbcUrl(credentials.database()),
                credentials.user(), "not-" + credentials.password()).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
    }

    @Test
    void oneResourcesCredentialsOpenNoOtherDatabase() throws Exception {
        Credentials a = provisioner.provision();
        Credentials b = provisioner.provision();
        try (Connection bApp = as(b, b.database()); Statement sql = bApp.createStatement()) {
            sql.execute("CREATE TABLE secrets (body text)");
            sql.execute("INSERT INTO secrets VALUES ('b only')");
        }

        for (String other : new String[] {b.database(), "postgres", "template1"}) {
            assertThatThrownBy(() -> as(a, other).close())
                    .as("%s connecting to %s", a.user(), other)
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied for database \"" + other + "\"");
        }
        // not even through its own database: the other database's objects are not reachable from there
        try (Connection aApp = as(a, a.database()); Statement sql = aApp.createStatement()) {
            assertThatThrownBy(() -> sql.executeQuery("SELECT * FROM " + b.database() + ".public.secrets"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("cross-database references");
        }
        assertThat(a.password()).isNotEqualTo(b.password());
    }

    @Test
    void aResourceIsFoundByItsIdWithTheSameCredentials() throws Exception {
        Credentials credentials = provisioner.provision();

        assertThat(provisioner.find(credentials.id())).contains(credentials);
        assertThat(provisioner.find("0123456789abcdef")).isEmpty();
        assertThat(provisioner.find("../etc")).isEmpty();
        assertThat(credentials.env("172.17.0.1:55432")).isEqualTo(Map.of(
                "DATABASE_URL", "postgres://" + credentials.user() + ":" + credentials.password() + "@172.17.0.1:55432/"
                        + credentials.database(),
                "PGHOST", "172.17.0.1", "PGPORT", "55432", "PGUSER", credentials.user(),
                "PGPASSWORD", credentials.password(), "PGDATABASE", credentials.database()));
    }

    @Test
    void deprovisioningEndsTheSessionsAndDropsDatabaseAndRole() throws Exception {
        Credentials credentials = provisioner.provision();
        Connection open = as(credentials, credentials.database());
        open.createStatement().execute("CREATE TABLE t (x int)");

        assertThat(provisioner.deprovision(credentials.id())).isTrue();

        assertThatThrownBy(() -> open.createStatement().execute("SELECT 1")).isInstanceOf(SQLException.class);
        open.close();
        try (Connection admin = superuser("postgres"); Statement sql = admin.createStatement()) {
            assertThat(sql.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + credentials.database() + "'")
                    .next()).isFalse();
            assertThat(sql.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + credentials.user() + "'")
                    .next()).isFalse();
        }
        assertThat(provisioner.find(credentials.id())).isEmpty();
        assertThat(provisioner.deprovision(credentials.id())).isFalse();
        assertThatThrownBy(() -> as(credentials, credentials.database()).close()).isInstanceOf(SQLException.class);
    }

    @Test
    void aServerThatLostTheProvidersTableIsSetUpAgain() throws Exception {
        Credentials before = provisioner.provision();
        try (Connection admin = superuser("postgres"); Statement sql = admin.createStatement()) {
            sql.execute("DROP SCHEMA pier_provider CASCADE");
            sql.execute("GRANT CONNECT ON DATABASE postgres TO PUBLIC");
        }

        Credentials after = provisioner.provision();

        assertThat(provisioner.find(after.id())).contains(after);
        assertThat(provisioner.find(before.id())).as("its record went with the table").isEmpty();
        assertThatThrownBy(() -> as(after, "postgres").close()).isInstanceOf(SQLException.class)
                .hasMessageContaining("permission denied for database \"postgres\"");
    }
}
