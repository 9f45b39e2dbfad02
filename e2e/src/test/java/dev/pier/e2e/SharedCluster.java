package dev.pier.e2e;

import dev.pier.testkit.Command;
import dev.pier.testkit.DockerEngine;
import dev.pier.testkit.Requirements;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One cluster for every class of the suite ({@code @ExtendWith(SharedCluster.class)}): booted by the first class that
 * needs it ({@code bin/pier-dev up --hosts 3} takes minutes on two cores), taken down once all have run (JUnit closes
 * it with the root context). A class gets it with {@link #cluster()} in its {@code @BeforeAll}.
 */
final class SharedCluster implements BeforeAllCallback {
    private static final String KEY = "pier-cluster";
    private static PierCluster cluster;

    /** Closes the cluster when JUnit closes the root context's store, after the last class. */
    private record Holder(PierCluster cluster) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            cluster.close();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).getOrComputeIfAbsent(KEY, key -> {
            for (String tool : List.of("git", "ssh", "ssh-keygen", "ssh-keyscan", "curl", "python3", "java", "mvn")) {
                Requirements.require(Command.which(tool) != null, tool);
            }
            DockerEngine.require();
            cluster = PierCluster.up(3);
            return new Holder(cluster);
        }, Holder.class);
    }

    static PierCluster cluster() {
        if (cluster == null) {
            throw new IllegalStateException("no cluster: the class needs @ExtendWith(SharedCluster.class)");
        }
        return cluster;
    }
}
