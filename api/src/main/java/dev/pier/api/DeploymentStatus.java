package dev.pier.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.EnumSet;
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
        return WireNames.of(this);
    }

    @JsonCreator
    public static DeploymentStatus fromWire(String value) {
        return WireNames.parse(values(), DeploymentStatus::wireName, value, "deployment status");
    }
}
