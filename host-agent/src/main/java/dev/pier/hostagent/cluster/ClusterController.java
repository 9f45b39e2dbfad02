package dev.pier.hostagent.cluster;

import dev.pier.api.host.ClusterView;
import dev.pier.web.ApiProblem;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /cluster}: the host leader's view, and {@code GET /cluster/events}: its changes; other agents answer
 * 503 naming the leader.
 */
@RestController
public class ClusterController {
    private final HostLeader leader;
    private final ClusterEventStream events;

    public ClusterController(HostLeader leader, ClusterEventStream events) {
        this.leader = leader;
        this.events = events;
    }

    /** Each change of the leader's view as it happens, as Server-Sent Events (see {@link ClusterEventStream}). */
    @GetMapping(path = "/cluster/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter events() {
        return events.subscribe();
    }

    /**
     * The cluster view on the leader; with {@code standby=true}, on another agent, its last copy of the leader's
     * view (what it would start from if elected). A new leader answers 503 until every host it knows has sent
     * its jobs, so nobody acts on a view with jobs missing.
     */
    @GetMapping("/cluster")
    public ClusterView cluster(@RequestParam(defaultValue = "false") boolean standby) {
        if (standby && !leader.isLeader()) {
            return leader.standbyCopy().orElseThrow(() -> ApiProblem.unavailable("this agent has no copy of the "
                    + "leader's view yet"));
        }
        ClusterView view = leader.view().orElseThrow(() -> ApiProblem.unavailable(leader.leader()
                .map(l -> "this agent is not the host leader; the leader is " + l.id() + " at " + l.url())
                .orElse("this agent is not the host leader and no leader is known yet")));
        List<String> waiting = leader.gathering();
        if (!waiting.isEmpty()) {
            throw ApiProblem.unavailable("the host leader " + view.leaderId() + " was just elected and is gathering "
                    + "the cluster view: waiting for host(s) " + String.join(", ", waiting) + " to send their jobs");
        }
        return view;
    }
}
