package dev.pier.controller.volume;

import dev.pier.api.Volume;
import dev.pier.api.host.ClusterView;
import dev.pier.api.host.HostVolume;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The volumes of the cluster, from the host leader's view, as a pure function: every volume of every host (a lost
 * host's as last seen), optionally of one app, by app, then name, then host.
 */
public final class ClusterVolumes {
    private ClusterVolumes() {
    }

    public static List<Volume> of(ClusterView view, String app) {
        List<Volume> volumes = new ArrayList<>();
        for (ClusterView.Host host : view.hosts()) {
            for (HostVolume volume : host.volumes()) {
                if (app == null || app.equals(volume.app())) {
                    volumes.add(new Volume(volume.name(), host.id(), host.lost(), volume.app(), volume.processType(),
                            volume.path(), volume.sizeMb(), volume.createdAt(), host.lost() ? null : volume.jobId()));
                }
            }
        }
        volumes.sort(Comparator.comparing((Volume v) -> String.valueOf(v.app())).thenComparing(Volume::name)
                .thenComparing(Volume::hostId));
        return volumes;
    }
}
