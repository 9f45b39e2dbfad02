package dev.pier.hostagent.job;

import dev.pier.api.host.HostVolume;
import dev.pier.api.host.JobSpec;
import dev.pier.api.host.VolumeMount;
import dev.pier.hostagent.runtime.VolumeInfo;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a volume is written onto the runtime's volume and read back from it: labels saying what it was made for,
 * where it is mounted, its size and when it was made (besides the runtime's own), so that a restarted agent knows
 * its host's volumes from the runtime alone. Pure (it logs labels it cannot read, at debug).
 */
final class JobVolumes {
    private static final Logger LOG = LoggerFactory.getLogger(JobVolumes.class);

    static final String VOLUME_APP = "pier.app";
    static final String VOLUME_PROCESS = "pier.process";
    static final String VOLUME_PATH = "pier.path";
    static final String VOLUME_SIZE_MB = "pier.size-mb";
    static final String VOLUME_CREATED = "pier.created";

    private JobVolumes() {
    }

    /** The labels of a volume made at {@code now} for {@code mount} of the job {@code spec}. */
    static Map<String, String> labels(JobSpec spec, VolumeMount mount, Instant now) {
        Map<String, String> labels = new HashMap<>();
        labels.put(VOLUME_APP, spec.app());
        labels.put(VOLUME_PROCESS, spec.processType());
        labels.put(VOLUME_PATH, mount.path());
        labels.put(VOLUME_CREATED, now.toString());
        if (mount.sizeMb() != null) {
            labels.put(VOLUME_SIZE_MB, String.valueOf(mount.sizeMb()));
        }
        return labels;
    }

    /**
     * The host's volume as its labels describe it (no job in it: the table tells who uses it); a size that cannot be
     * read leaves it and the creation time unknown, a creation time that cannot be read leaves that unknown.
     */
    static HostVolume hostVolume(String hostId, VolumeInfo volume) {
        Map<String, String> labels = volume.labels();
        Integer size = null;
        Instant created = null;
        try {
            size = labels.containsKey(VOLUME_SIZE_MB) ? Integer.valueOf(labels.get(VOLUME_SIZE_MB)) : null;
            created = labels.containsKey(VOLUME_CREATED) ? Instant.parse(labels.get(VOLUME_CREATED)) : null;
        } catch (RuntimeException e) {
            LOG.debug("event=volume.labels-unreadable host={} volume={}", hostId, volume.name());
        }
        return new HostVolume(volume.name(), hostId, labels.get(VOLUME_APP), labels.get(VOLUME_PROCESS),
                labels.get(VOLUME_PATH), size, created, null);
    }
}
