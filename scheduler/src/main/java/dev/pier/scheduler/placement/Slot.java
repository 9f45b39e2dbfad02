package dev.pier.scheduler.placement;

import java.util.Comparator;
import java.util.UUID;

/** One process type of one release of one app: what a formation counts and a job fills. */
public record Slot(String app, UUID releaseId, String processType) implements Comparable<Slot> {
    private static final Comparator<Slot> ORDER = Comparator.comparing(Slot::app)
            .thenComparing(Slot::releaseId).thenComparing(Slot::processType);

    @Override
    public int compareTo(Slot other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return app + "/" + processType + "@" + releaseId;
    }
}
