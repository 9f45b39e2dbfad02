package dev.pier.controller.cluster;

import dev.pier.api.host.ClusterView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where a one-off job goes, as pure functions: the live host with the most free memory that fits it, and, when the
 * chosen host refuses it, the next one. The cluster view a choice is made from can be a moment old: two builds
 * pushed at once both see the same host as the freest, and its agent, which admits jobs against what it really
 * holds, refuses the second. That refusal is not the job's failure while another host may have room.
 */
public final class HostChoice {
    private HostChoice() {
    }

    public static Optional<ClusterView.Host> pick(ClusterView view, int memoryMb) {
        return pick(view, memoryMb, Set.of());
    }

    /** As {@link #pick(ClusterView, int)}, among the hosts not in {@code tried}. */
    public static Optional<ClusterView.Host> pick(ClusterView view, int memoryMb, Set<String> tried) {
        return view.hosts().stream()
                .filter(host -> !host.lost())
                .filter(host -> !tried.contains(host.id()))
                .filter(host -> free(host) >= memoryMb)
                .max(Comparator.comparingLong(HostChoice::free)
                        .thenComparing(host -> -host.jobs().size())
                        .thenComparing(ClusterView.Host::id, Comparator.reverseOrder()));
    }

    static long free(ClusterView.Host host) {
        return host.totalMemoryMb() - host.allocatedMemoryMb();
    }

    /** What a host said to a start: taken, or refused with a reason, which may leave room to try another host. */
    public record Answer(boolean started, boolean tryAnother, String reason) {
        public static final Answer STARTED = new Answer(true, false, null);

        public static Answer refused(String reason, boolean tryAnother) {
            return new Answer(false, tryAnother, reason);
        }
    }

    /** Starts a job on one host; {@code moved} is told each time the job goes on to another host. */
    public interface Attempts {
        Answer start(ClusterView.Host host);

        void moved(ClusterView.Host from, String reason, ClusterView.Host to);
    }

    /** How a placement ended: the host that took the job, or every refusal in the order they came. */
    public record Outcome(ClusterView.Host host, List<String> refusals) {
        public boolean started() {
            return host != null;
        }
    }

    /**
     * Starts the job on {@code first}, and while a host refuses it in a way that leaves room elsewhere (it is full
     * after all, or cannot be reached), on the next host {@link #pick} gives among those not tried yet.
     */
    public static Outcome place(ClusterView view, int memoryMb, ClusterView.Host first, Attempts attempts) {
        Set<String> tried = new HashSet<>();
        List<String> refusals = new ArrayList<>();
        ClusterView.Host host = first;
        while (true) {
            tried.add(host.id());
            Answer answer = attempts.start(host);
            if (answer.started()) {
                return new Outcome(host, List.copyOf(refusals));
            }
            refusals.add(answer.reason());
            Optional<ClusterView.Host> next = answer.tryAnother() ? pick(view, memoryMb, tried) : Optional.empty();
            if (next.isEmpty()) {
                return new Outcome(null, List.copyOf(refusals));
            }
            attempts.moved(host, answer.reason(), next.get());
            host = next.get();
        }
    }
}
