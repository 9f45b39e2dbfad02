package dev.pier.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A build's life: {@code pending → building → succeeded | failed}; a pending one may also fail at once (its job
 * could not start). Succeeded means the slug, the artifact, the release and its deployment exist; failed says
 * why in the build's {@code error}. The transition table lives here and only here.
 */
public enum BuildState {
    PENDING, BUILDING, SUCCEEDED, FAILED;

    private static final Map<BuildState, Set<BuildState>> NEXT = Map.of(
            PENDING, EnumSet.of(BUILDING, FAILED),
            BUILDING, EnumSet.of(SUCCEEDED, FAILED),
            SUCCEEDED, EnumSet.noneOf(BuildState.class),
            FAILED, EnumSet.noneOf(BuildState.class));

    public boolean canMoveTo(BuildState next) {
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
    public static BuildState fromWire(String value) {
        return WireNames.parse(values(), BuildState::wireName, value, "build state");
    }
}
