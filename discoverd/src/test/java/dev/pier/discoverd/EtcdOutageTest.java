package dev.pier.discoverd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pier.api.discoverd.DiscoverdClient;
import dev.pier.api.discoverd.Instance;
import dev.pier.api.discoverd.NewInstance;
import dev.pier.api.discoverd.Registration;
import dev.pier.api.discoverd.ServiceEvent;
import dev.pier.api.discoverd.Watch;
import dev.pier.api.http.PierApiException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** etcd stopped and started again under a running discoverd: 503s naming etcd, last known view, recovery. */
class EtcdOutageTest {
    private static final Duration TTL = Duration.ofSeconds(2);

    @Test
    void discoverdSaysEtcdIsDownKeepsItsViewForWatchersAndRecoversWhenEtcdOrDiscoverdReturns() {
        try (RunningDiscoverd discoverd = RunningDiscoverd.start();
             DiscoverdClient client = discoverd.client()) {
            String service = "outage";
            Registration kept = client.register(service, "kept", "127.0.0.1:9001", Map.of(), TTL);
            client.put(service, "orphan", new NewInstance("127.0.0.1:9002", Map.of(), (int) TTL.toSeconds()));
            List<ServiceEvent> events = new CopyOnWriteArrayList<>();
            Watch before = client.watch(service, events::add, Duration.ofSeconds(3));
            await().atMost(Duration.ofSeconds(10)).until(() -> ids(before).equals(List.of("kept", "orphan")));

            discoverd.etcd.stop();

            assertThatThrownBy(() -> client.instances(service)).isInstanceOfSatisfying(PierApiException.class, e -> {
                assertThat(e.status()).isEqualTo(503);
                assertThat(e.getMessage()).contains("etcd");
            });
            assertThatThrownBy(() -> client.put(service, "new", new NewInstance("127.0.0.1:9003", null, 2)))
                    .isInstanceOfSatisfying(PierApiException.class, e -> assertThat(e.status()).isEqualTo(503));
            await().atMost(Duration.ofSeconds(10)).until(() -> !kept.isRegistered());

            // watchers keep the last known view, and a new watcher gets it too
            Watch during = client.watch(service, event -> { }, Duration.ofSeconds(3));
            await().atMost(Duration.ofSeconds(10)).until(during::isConnected);
            assertThat(ids(during)).containsExactly("kept", "orphan");
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> before.isConnected() && before.connections() == 1);
            assertThat(ids(before)).containsExactly("kept", "orphan");

            discoverd.etcd.restart();

            // the heartbeating registration comes back, the one whose owner died meanwhile expires
            await().atMost(Duration.ofSeconds(20)).until(kept::isRegistered);
            await().atMost(Duration.ofSeconds(20)).until(() -> ids(client.instances(service)).equals(List.of("kept")));
            await().atMost(Duration.ofSeconds(20)).until(() -> ids(before).equals(List.of("kept")));

            client.put(service, "after", new NewInstance("127.0.0.1:9004", null, 2));
            await().atMost(Duration.ofSeconds(10)).until(() -> ids(before).equals(List.of("kept", "after")));
            await().atMost(Duration.ofSeconds(10)).until(() -> ids(during).equals(List.of("kept", "after")));
            assertThat(events).anyMatch(e -> e.kind() == ServiceEvent.Kind.UP && e.instance().id().equals("after"));
            assertThat(events).anyMatch(e -> e.kind() == ServiceEvent.Kind.DOWN && e.instance().id().equals("orphan"));

            // a fresh discoverd on the same port: watches reconnect and get a new snapshot, registrations return
            discoverd.restartDiscoverd();
            await().atMost(Duration.ofSeconds(20)).until(() -> before.connections() >= 2 && before.isConnected());
            client.put(service, "after-restart", new NewInstance("127.0.0.1:9005", null, 2));
            await().atMost(Duration.ofSeconds(10)).until(() -> ids(before).contains("after-restart"));
            await().atMost(Duration.ofSeconds(10)).until(() -> ids(client.instances(service)).contains("kept")
                    && kept.isRegistered());
            before.close();
            during.close();
        }
    }

    private static List<String> ids(Watch watch) {
        return ids(watch.instances());
    }

    private static List<String> ids(List<Instance> instances) {
        return instances.stream().map(Instance::id).toList();
    }
}
