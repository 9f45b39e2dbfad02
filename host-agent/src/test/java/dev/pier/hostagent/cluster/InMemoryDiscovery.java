package dev.pier.hostagent.cluster;

import dev.pier.api.host.HostInfo;
import dev.pier.hostagent.discovery.Discovery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A stand-in for discoverd inside one test JVM, until the discoverd client is merged: a registry of agents and
 * a first-come leadership. Closing a member is its agent dying (what the TTL expiry does in discoverd): it leaves
 * the registry and, when it led, the next campaigner is elected. {@link #expireAll} is an outage of discovery as
 * the agents see it afterwards: every registration gone, the leader elected anew, the agents' registrations back
 * only when {@link #reRegisterAll} says (their next heartbeats).
 */
final class InMemoryDiscovery {
    private final Map<String, Discovery.HostEntry> hosts = new LinkedHashMap<>();
    private final Map<String, Discovery.HostEntry> registered = new LinkedHashMap<>();
    private final List<Member> campaigners = new ArrayList<>();
    private final Map<String, String> instances = new LinkedHashMap<>();
    private final List<Runnable> hostWatchers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger hostReads = new java.util.concurrent.atomic.AtomicInteger();

    /** How many times a member listed the hosts (a leader's syncs). */
    int hostReads() {
        return hostReads.get();
    }

    Member member() {
        return new Member();
    }

    synchronized Map<String, String> instances() {
        return Map.copyOf(instances);
    }

    /**
     * Every registration expires; the leader loses the leadership and the next campaigner (a standby, which holds
     * a copy of the leader's view) is elected at once, before any agent registered again.
     */
    void expireAll() {
        Member deposed;
        Member elected;
        synchronized (this) {
            hosts.clear();
            if (campaigners.size() < 2) {
                throw new IllegalStateException("an outage needs two campaigners");
            }
            deposed = campaigners.remove(0);
            campaigners.add(deposed);
            elected = campaigners.get(0);
        }
        deposed.listener.deposed();
        elected.listener.elected();
    }

    /** One agent's registration lapses (its heartbeats were late: the agent is slow, not gone). */
    void expire(String hostId) {
        synchronized (this) {
            hosts.remove(hostId);
        }
        hostWatchers.forEach(Runnable::run);
    }

    /** One agent's next heartbeat registers it again. */
    synchronized void reRegister(String hostId) {
        Discovery.HostEntry entry = registered.get(hostId);
        if (entry != null) {
            hosts.put(hostId, entry);
        }
    }

    /** The agents' heartbeats register them again. */
    synchronized void reRegisterAll() {
        hosts.putAll(registered);
    }

    final class Member implements Discovery {
        private String hostId;
        private LeadershipListener listener;

        @Override
        public void registerHost(HostInfo host) {
            synchronized (InMemoryDiscovery.this) {
                hostId = host.id();
                hosts.put(host.id(), new HostEntry(host.id(), host.url()));
                registered.put(host.id(), new HostEntry(host.id(), host.url()));
            }
        }

        @Override
        public void registerJob(String service, String jobId, String address) {
            synchronized (InMemoryDiscovery.this) {
                instances.put(service + "/" + jobId, address);
            }
        }

        @Override
        public void deregisterJob(String service, String jobId) {
            synchronized (InMemoryDiscovery.this) {
                instances.remove(service + "/" + jobId);
            }
        }

        /** No router runs in memory: nothing routes to a job. */
        @Override
        public Optional<Boolean> stillRouted(String service, String jobId) {
            return Optional.of(false);
        }

        @Override
        public List<HostEntry> hosts() {
            hostReads.incrementAndGet();
            synchronized (InMemoryDiscovery.this) {
                return List.copyOf(hosts.values());
            }
        }

        @Override
        public java.io.Closeable watchHosts(Runnable left) {
            hostWatchers.add(left);
            return () -> hostWatchers.remove(left);
        }

        @Override
        public void campaign(HostInfo self, LeadershipListener newListener) {
            boolean first;
            synchronized (InMemoryDiscovery.this) {
                listener = newListener;
                campaigners.add(this);
                first = campaigners.size() == 1;
            }
            if (first) {
                newListener.elected();
            }
        }

        @Override
        public Optional<HostEntry> leader() {
            synchronized (InMemoryDiscovery.this) {
                return campaigners.isEmpty() ? Optional.empty()
                        : Optional.ofNullable(hosts.get(campaigners.get(0).hostId));
            }
        }

        @Override
        public void close() {
            Member next = null;
            synchronized (InMemoryDiscovery.this) {
                boolean led = !campaigners.isEmpty() && campaigners.get(0) == this;
                campaigners.remove(this);
                hosts.remove(hostId);
                registered.remove(hostId);
                if (led && !campaigners.isEmpty()) {
                    next = campaigners.get(0);
                }
            }
            hostWatchers.forEach(Runnable::run);
            if (listener != null) {
                listener.deposed();
            }
            if (next != null) {
                next.listener.elected();
            }
        }
    }
}
