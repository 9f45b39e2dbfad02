package dev.pier.hostagent;

import dev.pier.hostagent.job.PortRange;
import java.net.URI;
import java.time.Duration;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code pier.host-agent.*}: who this agent is ({@code host-id}, unique among agents sharing an engine), where
 * it publishes job ports ({@code bind-address}, {@code port-range}), its memory capacity, the Docker engine,
 * the stop grace period, how long a stopped web job keeps serving once no router sends it requests any more
 * ({@code drain}, for the requests already on their way; the routers are asked, for at most 30 s, or when they
 * cannot be asked the drain counts from the stop), how long a new job may take to pass its health check
 * and how often up jobs are checked,
 * how long an interactive job waits for its first attach ({@code attach-timeout}), and how other services reach
 * it ({@code advertised-url}) and discoverd ({@code discoverd-url}; unset: no registration, no leadership).
 * {@code job-address}: the address at which containers (jobs on any host) reach ports this host publishes (a job at a
 * fixed host port is published there too, and announced with it as {@code job_addr}); unset: the bind address.
 * {@code discoverd-ttl}: the lease of the agent's registrations of its jobs (how long a job of a machine that died or
 * was cut off stays in the routers), and the grace an unlisted host whose machine still answers gets before it is
 * declared lost; {@code host-ttl}: the lease of the host's own registration and of its host leadership (default the
 * shorter of 3 s and {@code discoverd-ttl}): a machine that died is unlisted that soon, and then lost as soon as it
 * does not answer a connection, and a host leader that died with it is replaced that soon (docs/scheduler.md, "How
 * fast a lost machine's jobs move").
 * {@code standby-copy-every}: how often an agent that does not lead copies the leader's view whatever happens (it
 * also copies it after each change the leader streams, so this is the backstop, not the freshness).
 */
@ConfigurationProperties("pier.host-agent")
public record HostAgentProperties(
        @DefaultValue("local") String hostId,
        @DefaultValue("127.0.0.1") String bindAddress,
        @DefaultValue("20000-20999") String portRange,
        @DefaultValue("4096") long totalMemoryMb,
        @DefaultValue("unix:///var/run/docker.sock") String dockerHost,
        @DefaultValue("10s") Duration stopGrace,
        @DefaultValue("2s") Duration drain,
        @DefaultValue("60s") Duration healthTimeout,
        @DefaultValue("3s") Duration healthInterval,
        @DefaultValue("60s") Duration attachTimeout,
        URI advertisedUrl,
        URI discoverdUrl,
        @DefaultValue("5s") Duration discoverdTtl,
        Duration hostTtl,
        String jobAddress,
        @DefaultValue("2s") Duration standbyCopyEvery) {

    /** The host registration's lease unless configured (and unless {@code discoverd-ttl} is shorter). */
    public static final Duration DEFAULT_HOST_TTL = Duration.ofSeconds(3);
    public static final Pattern HOST_ID = Pattern.compile("^[a-z0-9][a-z0-9-]{0,39}$");

    public HostAgentProperties {
        if (hostId == null || !HOST_ID.matcher(hostId).matches()) {
            throw new IllegalArgumentException("pier.host-agent.host-id '" + hostId + "' is invalid: use 1 to 40 "
                    + "lowercase letters, digits and dashes");
        }
        PortRange.parse("pier.host-agent.port-range", portRange);
        if (totalMemoryMb < 16) {
            throw new IllegalArgumentException("pier.host-agent.total-memory-mb must be at least 16, not " + totalMemoryMb);
        }
        if (drain.isNegative()) {
            throw new IllegalArgumentException("pier.host-agent.drain must be >= 0, not " + drain);
        }
        if (stopGrace.isNegative() || healthTimeout.isNegative() || healthTimeout.isZero()) {
            throw new IllegalArgumentException("pier.host-agent.stop-grace must be >= 0 and health-timeout > 0");
        }
        if (attachTimeout.toMillis() < 1000) {
            throw new IllegalArgumentException("pier.host-agent.attach-timeout must be at least 1s, not " + attachTimeout);
        }
        if (healthInterval.toMillis() < 100) {
            throw new IllegalArgumentException("pier.host-agent.health-interval must be at least 100ms, not "
                    + healthInterval);
        }
        jobAddress = jobAddress == null || jobAddress.isBlank() ? null : jobAddress.strip();
        if (jobAddress != null && !jobAddress.matches("[A-Za-z0-9.:-]{1,253}")) {
            throw new IllegalArgumentException("pier.host-agent.job-address '" + jobAddress + "' is not a host "
                    + "address (an IP address or a host name)");
        }
        if (standbyCopyEvery == null || standbyCopyEvery.toMillis() < 100) {
            throw new IllegalArgumentException("pier.host-agent.standby-copy-every must be at least 100ms, not "
                    + standbyCopyEvery);
        }
        wholeSeconds("discoverd-ttl", discoverdTtl);
        hostTtl = hostTtl == null ? (discoverdTtl.compareTo(DEFAULT_HOST_TTL) < 0 ? discoverdTtl : DEFAULT_HOST_TTL)
                : hostTtl;
        wholeSeconds("host-ttl", hostTtl);
    }

    private static void wholeSeconds(String name, Duration ttl) {
        if (ttl.toMillis() < 1000 || ttl.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("pier.host-agent." + name + " must be a whole number of seconds, "
                    + "at least 1s, not " + ttl);
        }
    }

    /** The job address: {@code job-address}, else the bind address. */
    public String jobAddress() {
        return jobAddress == null || jobAddress.isBlank() ? bindAddress : jobAddress;
    }

    public PortRange ports() {
        return PortRange.parse("pier.host-agent.port-range", portRange);
    }
}
