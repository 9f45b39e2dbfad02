package dev.pier.cli.config;

/** A cluster the CLI knows: its controller's URL, the cluster key, and where `git push` goes. */
public record Cluster(String name, String controllerUrl, String key, String gitUrl) {
}
