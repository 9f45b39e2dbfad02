package dev.pier.router.source;

import dev.pier.api.discoverd.DiscoverdClient;
import dev.pier.api.discoverd.Instance;
import dev.pier.api.discoverd.Watch;
import dev.pier.router.table.Backend;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/** Instances from discoverd's watch stream; only registered (up) instances are listed. */
public final class DiscoverdInstanceSource implements InstanceSource {
    private final DiscoverdClient discoverd;

    public DiscoverdInstanceSource(DiscoverdClient discoverd) {
        this.discoverd = discoverd;
    }

    @Override
    public AutoCloseable watch(String service, Consumer<List<Backend>> onChange) {
        AtomicReference<Watch> ref = new AtomicReference<>();
        Object lock = new Object();
        // Each call reads the watch's latest view under the lock, so whichever runs last (the first events on the
        // watch's thread, or the call below on this one) publishes the newest set, never an older one.
        Runnable publish = () -> {
            synchronized (lock) {
                Watch w = ref.get();
                if (w != null) {
                    onChange.accept(backends(w.instances()));
                }
            }
        };
        Watch watch = discoverd.watch(service, event -> publish.run());
        ref.set(watch);
        publish.run();
        return watch;
    }

    static List<Backend> backends(List<Instance> instances) {
        return instances.stream().filter(i -> i.port() > 0)
                .map(i -> new Backend(i.id(), i.host(), i.port())).toList();
    }
}
