package dev.pier.controller.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.SocketException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.orm.jpa.JpaSystemException;

class DatabaseRetryTest {

    @Test
    void tellsABrokenConnectionFromABadStatement() {
        assertThat(DatabaseRetry.isConnectionFailure(new RuntimeException(new SQLException("io", "08006",
                new SocketException("Broken pipe"))))).isTrue();
        assertThat(DatabaseRetry.isConnectionFailure(new SQLException("terminating connection", "57P01"))).isTrue();
        assertThat(DatabaseRetry.isConnectionFailure(new JpaSystemException(new org.hibernate.TransactionException(
                "Unable to rollback against JDBC Connection", new SQLException("Connection is closed"))))).isTrue();
        assertThat(DatabaseRetry.isConnectionFailure(new DataIntegrityViolationException("duplicate",
                new SQLException("duplicate key", "23505")))).isFalse();
        assertThat(DatabaseRetry.isConnectionFailure(new IllegalStateException("a bug"))).isFalse();
    }
}
