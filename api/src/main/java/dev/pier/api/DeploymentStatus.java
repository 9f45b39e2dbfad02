package dev.pier.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** A deployment's life: {@code pending → running → complete | failed}; a pending one may also fail at once. */
public enum DeploymentStatus {
    PENDING, RUNNING, COMPLETE, FAILED;

    private static final Map<DeploymentStatus, Set<DeploymentStatus>> NEXT = Map.of(
            PENDING, EnumSet.of(RUNNING, COMPLETE, FAILED),
            RUNNING, EnumSet.of(COMPLETE, FAILED),
            COMPLETE, EnumSet.noneOf(DeploymentStatus.class),
            FAILED, EnumSet.noneOf(DeploymentStatus.class));

    public boolean canMoveTo(DeploymentStatus next) {
        return this == next || NEXT.get(this).contains(next);
    }

    public boolean isFinished() {
        return NEXT.get(this).isEmpty();
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static DeploymentStatus fromWire(String value) {
        for (DeploymentStatus status : values()) {
            if (status.wireName().equals(value)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown deployment status '" + value
                + "' (expected one of pending, running, complete, failed)");
    }
}
