package dev.pier.discoverd.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.api.discoverd.Instance;
import dev.pier.api.http.Json;
import dev.pier.discoverd.DiscoverdProperties;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.PutResponse;
import io.etcd.jetcd.lease.LeaseGrantResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Instances and election candidates in etcd, each under a lease of its own. Repeating a registration is a
 * heartbeat: it renews the lease this discoverd granted (one round trip), and grants a new lease when the old
 * one is gone (it expired, etcd lost it, or another discoverd registered the key), so registrations come back
 * by themselves after an etcd outage. A changed address or meta is written under the same lease.
 */
public class Registry {
    private static final Logger LOG = LoggerFactory.getLogger(Registry.class);

    /** The lease this discoverd holds for one key, and what it last wrote there. */
    private record Held(long lease, long ttlSeconds, byte[] value, long index, long renewedNanos) {
        boolean expired(long now) {
            return now - renewedNanos > TimeUnit.SECONDS.toNanos(ttlSeconds * 2);
        }
    }

    private static final int STRIPES = 256;

    private final KV kv;
    private final Lease leases;
    private final SpareLeases spares;
    private final Keys keys;
    private final EtcdCall etcd;
    private final Duration defaultTtl;
    private final Duration timeout;
    private final ObjectMapper json = Json.mapper();
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final Object[] locks = new Object[STRIPES];
    private final AtomicLong puts = new AtomicLong();

    public Registry(Client client, Keys keys, DiscoverdProperties properties) {
        this(client, keys, properties, null);
    }

    /** With {@code meters}, etcd calls are timed ({@link EtcdCall}). */
    public Registry(Client client, Keys keys, DiscoverdProperties properties,
            io.micrometer.core.instrument.MeterRegistry meters) {
        this.kv = client.getKVClient();
        this.leases = client.getLeaseClient();
        this.spares = new SpareLeases(leases);
        this.keys = keys;
        this.etcd = new EtcdCall(properties.etcdTimeout(), properties.etcdEndpoints(), meters);
        this.timeout = properties.etcdTimeout();
        this.defaultTtl = properties.defaultTtl();
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    private Object lockFor(String key) {
        return locks[Math.floorMod(key.hashCode(), STRIPES)];
    }

    /** Forgets leases whose owners stopped heartbeating long ago (etcd expired them), so the map stays small. */
    private void forgetDead() {
        long now = System.nanoTime();
        held.entrySet().removeIf(entry -> entry.getValue().expired(now));
    }

    public Duration defaultTtl() {
        return defaultTtl;
    }

    /** Registers or heartbeats {@code service}/{@code id}; returns it with its index. */
    public Instance put(Keys.Kind kind, String service, String id, Entry entry, Duration ttl) {
        String key = keys.of(kind, service, id);
        byte[] value = encode(entry.withTtl(ttl.toSeconds()));
        if (puts.incrementAndGet() % 1024 == 0) {
            forgetDead();
        }
        synchronized (lockFor(key)) {
            Held current = held.get(key);
            if (current != null && current.ttlSeconds() == ttl.toSeconds() && renew(current.lease(), key)) {
                if (Arrays.equals(current.value(), value)) {
                    held.put(key, new Held(current.lease(), current.ttlSeconds(), value, current.index(),
                            System.nanoTime()));
                    return entry.toInstance(service, id, current.index());
                }
                long index = write(key, value, current.lease());
                held.put(key, new Held(current.lease(), current.ttlSeconds(), value, index, System.nanoTime()));
                LOG.info("event=updated kind={} service={} id={} address={}", kind, service, id, entry.address());
                return entry.toInstance(service, id, index);
            }
            long lease = spares.take(ttl.toSeconds());
            boolean spare = lease >= 0;
            if (!spare) {
                LeaseGrantResponse granted = etcd.await("granting a lease", leases.grant(ttl.toSeconds()));
                lease = granted.getID();
            }
            long index = write(key, value, lease);
            if (spare) {
                spares.renewAfterUse(lease);
            }
            held.put(key, new Held(lease, ttl.toSeconds(), value, index, System.nanoTime()));
            if (current != null) {
                leases.revoke(current.lease()).exceptionally(e -> null);
            }
            LOG.info("event=registered kind={} service={} id={} address={} ttl_s={} lease={}", kind, service, id,
                    entry.address(), ttl.toSeconds(), lease);
            return entry.toInstance(service, id, index);
        }
    }

    /** Renews a lease; false when etcd no longer knows it (expired or lost), so the caller grants a new one. */
    private boolean renew(long lease, String key) {
        try {
            LeaseKeepAliveResponse renewed = leases.keepAliveOnce(lease)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return renewed.getTTL() > 0;
        } catch (ExecutionException e) {
            String message = String.valueOf(e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
            if (message.contains("not found")) {
                return false;
            }
            throw etcd.failure("renewing the lease of " + key, e);
        } catch (TimeoutException | InterruptedException e) {
            throw etcd.failure("renewing the lease of " + key, e);
        }
    }

    private long write(String key, byte[] value, long lease) {
        PutResponse put = etcd.await("writing " + key, kv.put(Keys.bytes(key), ByteSequence.from(value),
                PutOption.builder().withLeaseId(lease).withPrevKV().build()));
        return put.hasPrevKv() ? put.getPrevKv().getCreateRevision() : put.getHeader().getRevision();
    }

    /** Removes {@code service}/{@code id} at once; true when it existed. */
    public boolean delete(Keys.Kind kind, String service, String id) {
        String key = keys.of(kind, service, id);
        synchronized (lockFor(key)) {
            long deleted = etcd.await("deleting " + key, kv.delete(Keys.bytes(key))).getDeleted();
            Held current = held.remove(key);
            if (current != null) {
                leases.revoke(current.lease()).exceptionally(e -> null);
            }
            LOG.info("event=deregistered kind={} service={} id={} existed={}", kind, service, id, deleted > 0);
            return deleted > 0;
        }
    }

    /** The instances (or candidates) of a service, oldest first. */
    public List<Instance> list(Keys.Kind kind, String service) {
        String prefix = keys.of(kind, service);
        GetResponse response = etcd.await("listing " + prefix,
                kv.get(Keys.bytes(prefix), GetOption.builder().isPrefix(true).build()));
        return response.getKvs().stream()
                .map(this::decode)
                .flatMap(Optional::stream)
                .sorted(Comparator.comparingLong(Instance::index))
                .toList();
    }

    /** The services that have an instance or a candidate, sorted. */
    public List<String> services() {
        GetResponse response = etcd.await("listing services", kv.get(Keys.bytes(keys.all()),
                GetOption.builder().isPrefix(true).withKeysOnly(true).build()));
        TreeSet<String> names = new TreeSet<>();
        for (KeyValue entry : response.getKvs()) {
            keys.parse(entry.getKey().toString(StandardCharsets.UTF_8)).ifPresent(path -> names.add(path.service()));
        }
        return List.copyOf(names);
    }

    /** The leader of a service's election: the candidate with the lowest index. */
    public Optional<Instance> leader(String service) {
        return list(Keys.Kind.CANDIDATE, service).stream().findFirst();
    }

    private Optional<Instance> decode(KeyValue entry) {
        return keys.parse(entry.getKey().toString(StandardCharsets.UTF_8))
                .flatMap(path -> decode(path, entry));
    }

    Optional<Instance> decode(Keys.Path path, KeyValue entry) {
        try {
            Entry value = json.readValue(entry.getValue().getBytes(), Entry.class);
            return Optional.of(value.toInstance(path.service(), path.id(), entry.getCreateRevision()));
        } catch (IOException e) {
            LOG.warn("event=unreadable_entry service={} id={} error=\"{}\"", path.service(), path.id(), e.getMessage());
            return Optional.empty();
        }
    }

    private byte[] encode(Entry entry) {
        try {
            return json.writeValueAsString(entry).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
