package dev.pier.addon.postgres.provision;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link Provisioner} per server address, each connecting as the superuser with short timeouts. */
public final class Provisioners {
    private final String superuser;
    private final String password;
    private final Map<String, Provisioner> byAddress = new ConcurrentHashMap<>();

    public Provisioners(String superuser, String password) {
        this.superuser = superuser;
        this.password = password;
    }

    public Provisioner at(String address) {
        return byAddress.computeIfAbsent(address, a -> new Provisioner(database -> connect(a, database)));
    }

    public Connection connect(String address, String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", superuser);
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("socketTimeout", "120");
        properties.setProperty("ApplicationName", "pier-addon-postgres");
        return DriverManager.getConnection("jdbc:postgresql://" + address + "/" + database, properties);
    }
}
