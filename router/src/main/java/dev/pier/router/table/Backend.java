package dev.pier.router.table;

/** One upstream instance of an app's web service, reachable at {@code host:port}. */
public record Backend(String id, String host, int port) {

    public String address() {
        return host + ":" + port;
    }
}
