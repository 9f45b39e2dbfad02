package dev.pier.discoverd.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.api.discoverd.ServiceEvent;
import dev.pier.api.http.Json;
import dev.pier.discoverd.registry.Entry;
import dev.pier.discoverd.registry.Keys;
import dev.pier.testkit.EtcdServer;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The mirror over a real etcd that comes back without the registrations it had (its data lost, as when every
 * lease expired while discoverd could not renew them): watchers see no instance leave whose owner registers
 * again within its lease period; one whose owner does not goes down after it.
 */
class MirrorResyncTest {
    private static final long TTL_SECONDS = 2;

    /** A real etcd, a client of it and a started mirror of a prefix of its own. */
    private record Rig(EtcdServer etcd, Client client, Keys keys, Mirror mirror) implements AutoCloseable {
        static Rig start() throws Exception {
            EtcdServer etcd = EtcdServer.start();
            Client client = Client.builder().endpoints(etcd.endpoint()).build();
            Keys keys = new Keys("/test-" + Long.toHexString(System.nanoTime()));
            Mirror mirror = new Mirror(client, keys, Duration.ofSeconds(1), Duration.ofSeconds(TTL_SECONDS),
                    Clock.systemUTC());
            mirror.start();
            return new Rig(etcd, client, keys, mirror);
        }

        @Override
        public void close() throws Exception {
            try (etcd; client; mirror) {
                // closed in reverse order: the mirror, the client, etcd
            }
        }
    }

    private static void register(Client client, Keys keys, String service, String id) throws Exception {
        registerFor(TTL_SECONDS, client, keys, service, id);
    }

    private static void registerFor(long ttlSeconds, Client client, Keys keys, String service, String id)
            throws Exception {
        long lease = client.getLeaseClient().grant(ttlSeconds).get(10, TimeUnit.SECONDS).getID();
        byte[] value = Json.mapper().writeValueAsBytes(new Entry("127.0.0.1:" + (9000 + id.length()), Map.of())
                .withTtl(ttlSeconds));
        client.getKVClient().put(Keys.bytes(keys.of(Keys.Kind.INSTANCE, service, id)), ByteSequence.from(value),
                PutOption.builder().withLeaseId(lease).build()).get(10, TimeUnit.SECONDS);
    }

    /** Regression (#17, 3): after a long etcd outage every app's instances went down and the router answered 503. */
    @Test
    void instancesMissingWhenEtcdReturnsAreHeldForTheirLeaseNotSentDown() throws Exception {
        try (Rig rig = Rig.start()) {
            register(rig.client(), rig.keys(), "shop-web", "back");
            register(rig.client(), rig.keys(), "shop-web", "dead");
            List<ServiceEvent> events = new CopyOnWriteArrayList<>();
            rig.mirror().subscribe("shop-web", events::add);
            await().atMost(Duration.ofSeconds(20)).until(() -> events.stream()
                    .filter(e -> e.kind() == ServiceEvent.Kind.CURRENT || e.kind() == ServiceEvent.Kind.UP)
                    .flatMap(e -> e.kind() == ServiceEvent.Kind.CURRENT ? e.instances().stream()
                            : java.util.stream.Stream.of(e.instance())).map(i -> i.id()).distinct().count() == 2);

            rig.etcd().kill();
            await().atMost(Duration.ofSeconds(20)).until(() -> !rig.mirror().isLive());
            rig.etcd().wipe();
            rig.etcd().restart();
            await().atMost(Duration.ofSeconds(30)).until(rig.mirror()::isLive);

            assertThat(events).as("etcd came back empty: nothing has left yet")
                    .noneMatch(e -> e.kind() == ServiceEvent.Kind.DOWN);
            register(rig.client(), rig.keys(), "shop-web", "back");
            await().atMost(Duration.ofSeconds(20)).until(() -> events.stream()
                    .anyMatch(e -> e.kind() == ServiceEvent.Kind.DOWN && e.instance().id().equals("dead")));
            assertThat(events).as("its owner registered it again in time")
                    .noneMatch(e -> e.kind() == ServiceEvent.Kind.DOWN && e.instance().id().equals("back"));
            List<ServiceEvent> snapshot = new CopyOnWriteArrayList<>();
            rig.mirror().subscribe("shop-web", snapshot::add).close();
            assertThat(snapshot.get(0).instances()).extracting(i -> i.id()).containsExactly("back");
        }
    }

    @Test
    void afterEtcdWasKilledAndCameBackTheMirrorFollowsNewRegistrations() throws Exception {
        try (Rig rig = Rig.start()) {
            register(rig.client(), rig.keys(), "shop-web", "before");
            List<ServiceEvent> events = new CopyOnWriteArrayList<>();
            rig.mirror().subscribe("shop-web", events::add);
            await().atMost(Duration.ofSeconds(20)).until(() -> events.size() >= 1);

            rig.etcd().kill();
            await().atMost(Duration.ofSeconds(20)).until(() -> !rig.mirror().isLive());
            rig.etcd().restart();
            await().atMost(Duration.ofSeconds(30)).until(rig.mirror()::isLive);
            register(rig.client(), rig.keys(), "shop-web", "after");

            await().atMost(Duration.ofSeconds(20)).until(() -> events.stream()
                    .anyMatch(e -> e.kind() == ServiceEvent.Kind.UP && e.instance().id().equals("after")));
        }
    }

    /**
     * Pier's etcd compacts its history to the last 5 minutes (bin/lib/machine.sh, {@code etcd_bounds}): a mirror
     * whose watch follows the present is not disturbed by it, and a watch from a compacted revision fails (so the
     * mirror would load again) rather than skipping what it missed.
     */
    @Test
    void aCompactedHistoryLeavesTheMirrorFollowingAndAWatchFromACompactedRevisionFails() throws Exception {
        try (Rig rig = Rig.start()) {
            registerFor(60, rig.client(), rig.keys(), "shop-web", "before");
            List<ServiceEvent> events = new CopyOnWriteArrayList<>();
            rig.mirror().subscribe("shop-web", events::add);
            await().atMost(Duration.ofSeconds(20)).until(() -> up(events, "before"));

            for (int i = 0; i < 20; i++) { // history to compact
                registerFor(60, rig.client(), rig.keys(), "other-web", "churn");
            }
            long now = rig.client().getKVClient().get(ByteSequence.from("/", StandardCharsets.UTF_8))
                    .get(10, TimeUnit.SECONDS).getHeader().getRevision();
            rig.client().getKVClient().compact(now, CompactOption.builder().withCompactPhysical(true)
                    .build()).get(10, TimeUnit.SECONDS);
            registerFor(60, rig.client(), rig.keys(), "shop-web", "after");
            await().atMost(Duration.ofSeconds(20)).until(() -> up(events, "after"));
            assertThat(rig.mirror().isLive()).isTrue();

            // a watch that must start from before the compaction (as jetcd's resumes after a broken stream) ends
            // in an error, which the mirror answers as any failed watch: it loads everything again (the tests above)
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            try (Watch.Watcher stale = rig.client().getWatchClient().watch(Keys.bytes(rig.keys().all()),
                    WatchOption.builder().isPrefix(true).withRevision(now - 5).build(),
                    Watch.listener(response -> { }, errors::add))) {
                await().atMost(Duration.ofSeconds(20)).until(() -> !errors.isEmpty());
            }
            assertThat(errors.get(0)).isInstanceOf(CompactedException.class);
            registerFor(60, rig.client(), rig.keys(), "shop-web", "after-resync");
            await().atMost(Duration.ofSeconds(20)).until(() -> up(events, "after-resync"));
            assertThat(events).noneMatch(e -> e.kind() == ServiceEvent.Kind.DOWN);
        }
    }

    private static boolean up(List<ServiceEvent> events, String id) {
        return events.stream().anyMatch(e -> e.kind() == ServiceEvent.Kind.UP && e.instance().id().equals(id)
                || e.kind() == ServiceEvent.Kind.CURRENT && e.instances().stream().anyMatch(i -> i.id().equals(id)));
    }
}
