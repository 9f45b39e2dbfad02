package dev.pier.addon.postgres.provision;

import java.sql.Connection;
import java.sql.SQLException;

/** Opens a superuser connection to one database of the provider's PostgreSQL server. */
@FunctionalInterface
public interface ServerConnections {
    Connection open(String database) throws SQLException;
}
