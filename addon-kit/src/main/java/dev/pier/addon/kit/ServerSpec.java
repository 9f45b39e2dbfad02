package dev.pier.addon.kit;

/**
 * What a provider's server is, as its system app runs it.
 *
 * @param addon    the provider's name, in the app's and artifact's meta {@code pier.addon} ({@code postgres})
 * @param label    the server in messages and the release's description ({@code PostgreSQL server})
 * @param type     the server's process type ({@code postgres}); its discoverd service is {@code <app>-<type>}
 * @param port     the port the server listens on in its container
 * @param dataPath the data directory in the container, the volume's mount path
 * @param command  the server's command in the image ({@code /pier/postgres/start})
 */
public record ServerSpec(String addon, String label, String type, int port, String dataPath, String command) {
}
