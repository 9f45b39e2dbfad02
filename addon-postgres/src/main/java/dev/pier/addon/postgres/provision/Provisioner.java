package dev.pier.addon.postgres.provision;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provisions and deprovisions resources on one PostgreSQL server, as its superuser. A resource is a database
 * owned by a role of its own with a random password; {@code CONNECT} on it is revoked from {@code PUBLIC}, so
 * only its role (and the superuser) may connect: one app's credentials open no other app's database. The
 * provider's own record of its resources (id, names, password) is the table {@code pier_provider.resources} in
 * the server's {@code postgres} database, which no resource role may connect to either: the data and the record
 * of who owns it live on the same volume.
 */
public final class Provisioner {
    private static final Logger LOG = LoggerFactory.getLogger(Provisioner.class);
    static final String ADMIN_DATABASE = "postgres";

    private final ServerConnections server;

    public Provisioner(ServerConnections server) {
        this.server = server;
    }

    /**
     * Creates the provider's table when it is missing and closes the server's shared databases to ordinary roles:
     * on every call, so a server that came back on a fresh volume is set up again.
     */
    private static void prepare(Statement sql) throws SQLException {
        try (ResultSet table = sql.executeQuery("SELECT to_regclass('pier_provider.resources') IS NOT NULL")) {
            if (table.next() && table.getBoolean(1)) {
                return;
            }
        }
        try {
            sql.execute("CREATE SCHEMA IF NOT EXISTS pier_provider");
            sql.execute("CREATE TABLE IF NOT EXISTS pier_provider.resources (id text PRIMARY KEY, "
                    + "database_name text NOT NULL UNIQUE, role_name text NOT NULL UNIQUE, password text NOT NULL, "
                    + "created_at timestamptz NOT NULL DEFAULT now())");
        } catch (SQLException e) {
            // another call made them at the same moment (IF NOT EXISTS does not stop that race in PostgreSQL)
            if (!List.of("23505", "42P06", "42P07").contains(e.getSQLState())) {
                throw e;
            }
        }
        sql.execute("REVOKE CONNECT, TEMPORARY ON DATABASE postgres FROM PUBLIC");
        sql.execute("REVOKE CONNECT, TEMPORARY ON DATABASE template1 FROM PUBLIC");
        LOG.info("event=server_prepared table=pier_provider.resources");
    }

    /** A new resource: its role, its database (owned by the role, closed to everyone else) and its record. */
    public Credentials provision() throws SQLException {
        ResourceNames names = ResourceNames.random();
        String password = ResourceNames.password();
        try (Connection admin = server.open(ADMIN_DATABASE); Statement sql = admin.createStatement()) {
            prepare(sql);
            sql.execute("CREATE ROLE " + names.role() + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION "
                    + "NOBYPASSRLS PASSWORD '" + password + "'");
            try {
                // CREATE DATABASE cannot run in a transaction: a failure after it is undone by hand below
                sql.execute("CREATE DATABASE " + names.database() + " OWNER " + names.role());
                sql.execute("REVOKE ALL ON DATABASE " + names.database() + " FROM PUBLIC");
                sql.execute("GRANT CONNECT, TEMPORARY ON DATABASE " + names.database() + " TO " + names.role());
                try (PreparedStatement insert = admin.prepareStatement("INSERT INTO pier_provider.resources "
                        + "(id, database_name, role_name, password) VALUES (?, ?, ?, ?)")) {
                    insert.setString(1, names.id());
                    insert.setString(2, names.database());
                    insert.setString(3, names.role());
                    insert.setString(4, password);
                    insert.executeUpdate();
                }
            } catch (SQLException e) {
                drop(sql, names);
                throw e;
            }
        }
        LOG.info("event=resource_provisioned id={} database={} role={}", names.id(), names.database(), names.role());
        return new Credentials(names.id(), names.database(), names.role(), password);
    }

    /** The resource of this id, or empty when this provider has none by it. */
    public Optional<Credentials> find(String id) throws SQLException {
        Optional<ResourceNames> names = ResourceNames.parse(id);
        if (names.isEmpty()) {
            return Optional.empty();
        }
        try (Connection admin = server.open(ADMIN_DATABASE);
             Statement sql = admin.createStatement();
             PreparedStatement select = admin.prepareStatement(
                     "SELECT database_name, role_name, password FROM pier_provider.resources WHERE id = ?")) {
            prepare(sql);
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Credentials(id, row.getString(1), row.getString(2), row.getString(3)));
            }
        }
    }

    /**
     * Drops the resource's database (its sessions terminated first) and its role, then its record; false when
     * this provider has no resource by that id. A deprovision cut short is finished by the next one: each step
     * tolerates what is already gone, and the record goes last.
     */
    public boolean deprovision(String id) throws SQLException {
        Optional<ResourceNames> parsed = ResourceNames.parse(id);
        if (parsed.isEmpty()) {
            return false;
        }
        ResourceNames names = parsed.get();
        try (Connection admin = server.open(ADMIN_DATABASE); Statement sql = admin.createStatement()) {
            prepare(sql);
            try (PreparedStatement exists = admin.prepareStatement("SELECT 1 FROM pier_provider.resources WHERE id = ?")) {
                exists.setString(1, id);
                try (ResultSet row = exists.executeQuery()) {
                    if (!row.next()) {
                        return false;
                    }
                }
            }
            drop(sql, names);
            try (PreparedStatement delete = admin.prepareStatement("DELETE FROM pier_provider.resources WHERE id = ?")) {
                delete.setString(1, id);
                delete.executeUpdate();
            }
        }
        LOG.info("event=resource_deprovisioned id={} database={} role={}", id, names.database(), names.role());
        return true;
    }

    private static void drop(Statement sql, ResourceNames names) throws SQLException {
        // no new sessions, then every session of the role (in any database) and of the database ends
        sql.execute("DO $$BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + names.role() + "') THEN "
                + "ALTER ROLE " + names.role() + " NOLOGIN; END IF; END$$");
        sql.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + names.role()
                + "' OR datname = '" + names.database() + "'");
        sql.execute("DROP DATABASE IF EXISTS " + names.database() + " WITH (FORCE)");
        sql.execute("DROP ROLE IF EXISTS " + names.role());
    }
}
