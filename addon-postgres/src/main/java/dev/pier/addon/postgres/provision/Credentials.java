package dev.pier.addon.postgres.provision;

import java.util.LinkedHashMap;
import java.util.Map;

/** What an app needs to use its database: the server's address as jobs reach it, the role, its password, the database. */
public record Credentials(String id, String database, String user, String password) {
    @Override
    public String toString() {
        return "Credentials[id=" + id + ", database=" + database + ", user=" + user + "]"; // no password in logs
    }

    /**
     * The config vars an app gets: {@code DATABASE_URL} ({@code postgres://USER:PASSWORD@HOST:PORT/DB}) and
     * libpq's {@code PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE}. {@code jobAddress} is {@code host:port}.
     */
    public Map<String, String> env(String jobAddress) {
        int colon = jobAddress.lastIndexOf(':');
        String host = jobAddress.substring(0, colon);
        String port = jobAddress.substring(colon + 1);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DATABASE_URL", "postgres://" + user + ":" + password + "@" + jobAddress + "/" + database);
        env.put("PGHOST", host);
        env.put("PGPORT", port);
        env.put("PGUSER", user);
        env.put("PGPASSWORD", password);
        env.put("PGDATABASE", database);
        return env;
    }
}
