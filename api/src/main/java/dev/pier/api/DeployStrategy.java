package dev.pier.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How a deployment replaces old jobs with new ones. */
public enum DeployStrategy {
    /** Start one new job, wait until it is up and healthy, stop one old job; repeat. The default. */
    ONE_BY_ONE("one-by-one"),
    /** Start every new job, wait until all are up, then stop every old job. */
    ALL_AT_ONCE("all-at-once");

    private final String wireName;

    DeployStrategy(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static DeployStrategy fromWire(String value) {
        for (DeployStrategy strategy : values()) {
            if (strategy.wireName.equals(value)) {
                return strategy;
            }
        }
        throw new IllegalArgumentException("unknown deploy strategy '" + value
                + "' (expected one-by-one or all-at-once)");
    }
}
