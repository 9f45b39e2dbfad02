package dev.pier.controller.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.testkit.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** V11 keeps a stored health check meaning what it meant: its old {@code timeout_seconds} becomes the grace. */
class HealthCheckGraceMigrationTest {

    @Test
    void aStoredTimeoutBecomesTheGraceAndEverythingElseStays() throws Exception {
        String url = PostgresServer.shared().newDatabase();
        Flyway.configure().dataSource(url, PostgresServer.USER, null).locations("classpath:db/migration")
                .target("10").load().migrate();
        try (Connection db = DriverManager.getConnection(url, PostgresServer.USER, null);
             Statement sql = db.createStatement()) {
            sql.execute("INSERT INTO apps (id, name, created_at, updated_at) VALUES "
                    + "('00000000-0000-0000-0000-000000000001', 'legacy', now(), now())");
            sql.execute("INSERT INTO releases (id, app_id, version, processes, created_at) VALUES "
                    + "('00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000001', 1, "
                    + "'{\"web\":{\"command\":\"npm start\",\"port\":8080,\"health_check\":{\"path\":\"/up\",\"timeout_seconds\":30}},"
                    + "\"worker\":{\"command\":\"node w.js\"}}', now())");
            Flyway.configure().dataSource(url, PostgresServer.USER, null).locations("classpath:db/migration").load()
                    .migrate();
            try (ResultSet row = sql.executeQuery("SELECT processes::text FROM releases")) {
                row.next();
                assertThat(row.getString(1)).contains("\"health_check\": {\"path\": \"/up\", \"grace_seconds\": 30}")
                        .doesNotContain("timeout_seconds").contains("\"worker\": {\"command\": \"node w.js\"}");
            }
        }
    }
}
