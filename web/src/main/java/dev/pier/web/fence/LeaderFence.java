package dev.pier.web.fence;

import dev.pier.api.discoverd.Fence;
import dev.pier.api.discoverd.Fencing;
import dev.pier.api.discoverd.Instance;
import dev.pier.api.discoverd.Leadership;
import dev.pier.api.http.PierApiException;
import dev.pier.web.ApiProblem;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

/**
 * The receiving end of leader fencing (docs/scheduler.md, "Fencing"): a change that arrives with a {@link Fence}
 * ({@value Fence#HEADER} header) is carried out only when that fence is the current leader's. Each check reads the
 * election's leader through discoverd, whose read of etcd is linearizable (a quorum read), and refuses any other
 * fence (409). A receiver whose discoverd or etcd member is cut off from the quorum cannot confirm anyone and
 * refuses (503; 409 for a fence older than the leader it last read, a deposed leader's). A request without the header is
 * not a leader's (the controller's one-off jobs, an operator) and is not fenced.
 */
public final class LeaderFence {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderFence.class);

    private final Function<String, Leadership> leaderOf;
    private final Map<String, Long> newest = new ConcurrentHashMap<>();

    /** {@code leaderOf}: the current leader of an election by a quorum read (e.g. {@code DiscoverdClient::leader}). */
    public LeaderFence(Function<String, Leadership> leaderOf) {
        this.leaderOf = leaderOf;
    }

    /**
     * Returns when {@code header} (the raw {@value Fence#HEADER} value, null when absent) lets the change through;
     * otherwise throws the problem to answer: 400 for a malformed fence, 409 for a deposed leader's (naming it and
     * the leader now), 503 when the current leader cannot be read.
     */
    public void check(String header, String change) {
        if (header == null) {
            return;
        }
        Fence fence;
        try {
            fence = Fence.parse(header);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest(Fence.HEADER, e.getMessage());
        }
        Instance current;
        try {
            current = leaderOf.apply(fence.service()).leader();
        } catch (PierApiException e) {
            Optional<Fencing.Refusal> stale = Fencing.stale(fence, newest.getOrDefault(fence.service(), 0L));
            if (stale.isPresent()) {
                throw refused(fence, change, stale.get());
            }
            LOG.warn("event=fence_unconfirmed service={} leader={} fence={} change=\"{}\" error=\"{}\"",
                    fence.service(), fence.leader(), fence.index(), change, e.getMessage());
            throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "cannot confirm that " + fence.describe()
                    + " still leads " + fence.service() + ", so it may not " + change + ": " + e.getMessage(),
                    Fence.HEADER);
        }
        if (current != null) {
            // read by quorum: the authority (after an etcd that lost its data, revisions start again from 1)
            newest.put(fence.service(), current.index());
        }
        Optional<Fencing.Refusal> refusal = Fencing.judge(fence, current);
        if (refusal.isPresent()) {
            throw refused(fence, change, refusal.get());
        }
    }

    /** The fence of {@code service}'s leader as this receiver last read it (0: none). */
    public long newest(String service) {
        return newest.getOrDefault(service, 0L);
    }

    private static ApiProblem refused(Fence fence, String change, Fencing.Refusal refusal) {
        LOG.warn("event=fence_refused service={} leader={} fence={} change=\"{}\" reason=\"{}\"", fence.service(),
                fence.leader(), fence.index(), change, refusal.detail());
        return new ApiProblem(HttpStatus.CONFLICT, refusal.detail() + "; refused: " + change, Fence.HEADER);
    }
}
