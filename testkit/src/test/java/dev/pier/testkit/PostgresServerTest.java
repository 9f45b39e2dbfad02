package dev.pier.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class PostgresServerTest {

    @Test
    void startsARealServerAndHandsOutSeparateDatabases() throws Exception {
        PostgresServer server = PostgresServer.shared();
        String first = server.newDatabase();
        String second = server.newDatabase();
        assertThat(first).isNotEqualTo(second);
        try (Connection connection = DriverManager.getConnection(first, PostgresServer.USER, "");
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SHOW server_version_num")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getInt(1)).isGreaterThanOrEqualTo(120000);
        }
    }
}
