package dev.pier.cli.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code ~/.pier/config.json}: the known clusters and the default one. */
public record CliConfig(String defaultCluster, List<Cluster> clusters) {
    public CliConfig {
        clusters = clusters == null ? List.of() : List.copyOf(clusters);
    }

    public static CliConfig empty() {
        return new CliConfig(null, List.of());
    }

    public Optional<Cluster> find(String name) {
        return clusters.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public CliConfig with(Cluster cluster, boolean makeDefault) {
        List<Cluster> next = new ArrayList<>(clusters.stream().filter(c -> !c.name().equals(cluster.name())).toList());
        next.add(cluster);
        return new CliConfig(makeDefault || defaultCluster == null ? cluster.name() : defaultCluster, next);
    }

    public CliConfig without(String name) {
        List<Cluster> next = clusters.stream().filter(c -> !c.name().equals(name)).toList();
        String nextDefault = name.equals(defaultCluster) ? next.stream().map(Cluster::name).findFirst().orElse(null)
                : defaultCluster;
        return new CliConfig(nextDefault, next);
    }

    public CliConfig withDefault(String name) {
        return new CliConfig(name, clusters);
    }
}
