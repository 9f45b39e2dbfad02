package dev.pier.hostagent.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.api.host.ClusterChange;
import dev.pier.api.host.HostInfo;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Issue #19: a host that leaves discovery is looked at by the leader at once (probed, and lost when its machine
 * does not answer), not at the leader's next sync. The sync here is an hour apart, so only the watch can do it.
 */
class HostLeaderHostsLeftTest {

    private static HostInfo host(String id) {
        // a port nothing listens on: the leader's stream to the host fails, as to a machine that lost its power
        return new HostInfo(id, "http://127.0.0.1:9", 1024, 0, 0, List.of());
    }

    @Test
    void aHostThatLeavesDiscoveryIsProbedAndLostAtOnceNotAtTheNextSync() {
        InMemoryDiscovery discovery = new InMemoryDiscovery();
        InMemoryDiscovery.Member leading = discovery.member();
        InMemoryDiscovery.Member gone = discovery.member();
        gone.registerHost(host("host-b"));
        Set<String> probed = ConcurrentHashMap.newKeySet();
        HostProbe powerless = url -> {
            probed.add(url);
            return HostProbe.Reach.UNREACHABLE;
        };
        Set<String> lost = ConcurrentHashMap.newKeySet();
        HostLeader leader = new HostLeader(leading, () -> host("host-a"), "key", Clock.systemUTC(),
                Duration.ofHours(1), Duration.ofSeconds(5), powerless, Duration.ofHours(1));
        leader.addListener(new HostLeader.ViewListener() {
            @Override
            public void changed(ClusterChange change) {
                if (change.hostLost()) {
                    lost.add(change.hostId());
                }
            }

            @Override
            public void deposed() {
            }
        });
        leading.registerHost(host("host-a"));
        leader.open();
        try {
            // the first sync (at once on election) read host-b listed; a later one runs after it, on the same thread
            await().atMost(Duration.ofSeconds(10)).until(() -> discovery.hostReads() >= 1);
            assertThat(lost).isEmpty();

            discovery.expire("host-b");

            await().atMost(Duration.ofSeconds(10)).until(() -> lost.contains("host-b"));
            assertThat(probed).containsExactly("http://127.0.0.1:9");
        } finally {
            leader.close();
        }
    }
}
