package dev.pier.api.discoverd;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;

/**
 * One event of a service's watch stream ({@code GET /services/{service}/instances?watch=true}). The SSE
 * event name is {@link Kind#wire()} and the data is this record as JSON.
 *
 * <ul>
 *   <li>{@link Kind#CURRENT}: always first on every connection: {@code instances} is the complete set and
 *       {@code leader} the current leader (null when none), as of {@code revision}. Replace your view.</li>
 *   <li>{@link Kind#UP}, {@link Kind#UPDATE}, {@link Kind#DOWN}: {@code instance} registered, changed
 *       (address or meta) or went away (deregistered or its TTL expired).</li>
 *   <li>{@link Kind#LEADER}: the service's leader changed; {@code leader} is the new one, or null.</li>
 * </ul>
 *
 * @param kind      what happened
 * @param service   the watched service
 * @param instance  the instance for up/update/down
 * @param instances the full set for current
 * @param leader    the leader for current and leader events (null: no leader)
 * @param revision  the etcd revision this event reflects; increases along a stream
 */
public record ServiceEvent(Kind kind, String service, Instance instance, List<Instance> instances,
        Instance leader, long revision) {

    public ServiceEvent {
        instances = instances == null ? null : List.copyOf(instances);
    }

    public static ServiceEvent current(String service, List<Instance> instances, Instance leader, long revision) {
        return new ServiceEvent(Kind.CURRENT, service, null, instances, leader, revision);
    }

    public static ServiceEvent change(Kind kind, Instance instance, long revision) {
        return new ServiceEvent(kind, instance.service(), instance, null, null, revision);
    }

    public static ServiceEvent leaderChanged(String service, Instance leader, long revision) {
        return new ServiceEvent(Kind.LEADER, service, null, null, leader, revision);
    }

    /** The kinds of watch events; on the wire in lower case. */
    public enum Kind {
        CURRENT, UP, UPDATE, DOWN, LEADER;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Kind fromWire(String value) {
            return Kind.valueOf(value.toUpperCase(Locale.ROOT));
        }
    }
}
