package dev.pier.hostagent.cluster;

import dev.pier.api.host.ClusterChange;
import dev.pier.hostagent.sse.SseSubscribers;
import dev.pier.web.ApiProblem;
import jakarta.annotation.PreDestroy;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /cluster/events} on the host leader: every change of its cluster view as it happens
 * ({@code event: change}, a {@link ClusterChange} as JSON), with a heartbeat comment every 10 s. The stream ends
 * when this agent stops leading, so a follower finds the new leader; other agents answer 503.
 */
@Component
public class ClusterEventStream implements HostLeader.ViewListener {
    private final HostLeader leader;
    private final SseSubscribers subscribers = new SseSubscribers("pier-cluster-sse-heartbeat", Runnable::run);

    public ClusterEventStream(HostLeader leader) {
        this.leader = leader;
        leader.addListener(this);
    }

    public SseEmitter subscribe() {
        if (!leader.isLeader()) {
            throw ApiProblem.unavailable(leader.leader()
                    .map(l -> "this agent is not the host leader; the leader is " + l.id() + " at " + l.url())
                    .orElse("this agent is not the host leader and no leader is known yet"));
        }
        SseEmitter emitter = subscribers.open();
        subscribers.add(emitter);
        // The first comment opens the stream at once, so a follower knows it is following.
        SseSubscribers.send(emitter, SseEmitter.event().comment("following the cluster view"));
        return emitter;
    }

    @Override
    public void changed(ClusterChange change) {
        subscribers.sendAll(() -> SseEmitter.event().name("change").data(change, MediaType.APPLICATION_JSON));
    }

    @Override
    public void deposed() {
        subscribers.completeAll();
    }

    @PreDestroy
    void close() {
        leader.removeListener(this);
        subscribers.close();
    }
}
