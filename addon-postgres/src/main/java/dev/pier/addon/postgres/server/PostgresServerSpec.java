package dev.pier.addon.postgres.server;

import dev.pier.addon.kit.ServerSpec;

/** The provider's PostgreSQL server as its system app runs it (image docker/build-addons makes). */
public final class PostgresServerSpec {
    public static final ServerSpec SPEC = new ServerSpec("postgres", "PostgreSQL server", "postgres", 5432,
            "/var/lib/postgresql/data", "/pier/postgres/start");
    /** The config var the server's job gets the superuser's password in. */
    public static final String PASSWORD_VAR = "POSTGRES_PASSWORD";

    private PostgresServerSpec() {
    }
}
