package dev.pier.hostagent.cluster;

import dev.pier.api.host.ClusterView;
import dev.pier.web.ApiProblem;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /cluster}: the host leader's view; other agents answer 503 naming the leader. */
@RestController
public class ClusterController {
    private final HostLeader leader;

    public ClusterController(HostLeader leader) {
        this.leader = leader;
    }

    /**
     * The cluster view on the leader; with {@code standby=true}, on another agent, its last copy of the leader's
     * view (what it would start from if elected).
     */
    @GetMapping("/cluster")
    public ClusterView cluster(@RequestParam(defaultValue = "false") boolean standby) {
        if (standby && !leader.isLeader()) {
            return leader.standbyCopy().orElseThrow(() -> ApiProblem.unavailable("this agent has no copy of the "
                    + "leader's view yet"));
        }
        return leader.view().orElseThrow(() -> ApiProblem.unavailable(leader.leader()
                .map(l -> "this agent is not the host leader; the leader is " + l.id() + " at " + l.url())
                .orElse("this agent is not the host leader and no leader is known yet")));
    }
}
