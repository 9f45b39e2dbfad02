package dev.pier.hostagent.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.api.JobState;
import dev.pier.api.host.HostInfo;
import dev.pier.api.host.HostJob;
import dev.pier.api.host.JobSpec;
import dev.pier.hostagent.runtime.ContainerInfo;
import dev.pier.hostagent.runtime.ContainerSpec;
import dev.pier.web.ApiProblem;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

/** The host's job table, with no runtime behind it: admission, moves, start phases, removal and adoption. */
class JobTableTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final JobTable table = new JobTable("h1", "http://127.0.0.1:8320", "127.0.0.1", new PortRange(20000, 20002),
            512);

    private static JobSpec web(String id) {
        return JobSpec.of(id, "shop", "web", "img", List.of("serve")).withPort(8000).withMemoryMb(128);
    }

    private static JobSpec worker(String id) {
        return JobSpec.of(id, "shop", "worker", "img", List.of("work")).withMemoryMb(64);
    }

    private static HttpStatus statusOf(Runnable call) {
        try {
            call.run();
        } catch (ApiProblem problem) {
            return problem.status();
        }
        return null;
    }

    @Test
    void admitsAJobPendingWithAPortOfTheRangeAndCountsItsMemory() {
        JobTable.Entry entry = table.admit(web("a"), T0, port -> true);

        assertThat(entry.job().state()).isEqualTo(JobState.PENDING);
        assertThat(entry.job().address()).isEqualTo("127.0.0.1:20000");
        assertThat(entry.job().createdAt()).isEqualTo(T0);
        assertThat(entry.started()).isFalse();
        assertThat(table.host()).isEqualTo(new HostInfo("h1", "http://127.0.0.1:8320", 512, 128, 1));
        assertThat(table.admit(worker("w"), T0, port -> true).job().address()).as("no port asked, none given").isNull();
    }

    @Test
    void aPortReservedForASandboxGoesToNoOtherJobAndToTheWebJobThatClaimsIt() {
        JobTable.Entry first = table.admit(web("a"), T0, port -> true);
        assertThat(first.hostPort()).isEqualTo(20000);
        int reserved = table.reserve(port -> true).orElseThrow();
        assertThat(reserved).as("the next free port").isEqualTo(20001);
        assertThat(table.reserved()).containsExactly(20001);

        // a job that brings no sandbox gets another port; the one that claimed the sandbox gets its port
        assertThat(table.admit(web("b"), T0, port -> true).hostPort()).isEqualTo(20002);
        assertThat(table.reserve(port -> true)).as("the range is full: 20000 and 20002 held, 20001 reserved").isEmpty();
        assertThat(table.admit(web("c").withMemoryMb(16), T0, port -> true, port -> true, 20001).hostPort())
                .isEqualTo(20001);
        assertThat(table.reserved()).isEmpty();

        // a port that is not reserved is not given out as a sandbox's: the range decides
        JobTable other = new JobTable("h2", "u", "127.0.0.1", new PortRange(20000, 20001), 4096);
        assertThat(other.admit(web("d"), T0, port -> true, port -> true, 20001).hostPort()).isEqualTo(20000);
        int back = other.reserve(port -> true).orElseThrow();
        other.free(back);
        assertThat(other.reserved()).isEmpty();
        assertThat(other.admit(web("e"), T0, port -> true).hostPort()).isEqualTo(back);
    }

    @Test
    void aStartIsIdempotentOnItsIdAndAnotherSpecUnderTheSameIdIsAConflict() {
        assertThat(table.known(web("a"))).isEmpty();
        HostJob admitted = table.admit(web("a"), T0, port -> true).job();

        assertThat(table.known(web("a"))).contains(admitted);
        assertThatThrownBy(() -> table.known(web("a").withMemoryMb(64)))
                .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.status()).isEqualTo(HttpStatus.CONFLICT))
                .hasMessageContaining("with a different spec");
    }

    @Test
    void aFullHostRefusesByMemoryAndByPorts() {
        table.admit(web("a").withMemoryMb(500), T0, port -> true);
        assertThatThrownBy(() -> table.admit(web("b"), T0, port -> true))
                .isInstanceOfSatisfying(ApiProblem.class,
                        p -> assertThat(p.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE))
                .hasMessage("host h1 has 12 MB of memory free; job b asks for 128");

        JobTable ports = new JobTable("h2", "u", "127.0.0.1", new PortRange(20000, 20001), 4096);
        ports.admit(web("a"), T0, port -> true);
        assertThat(statusOf(() -> ports.admit(web("b"), T0, port -> port != 20001)))
                .as("a port another program holds is skipped").isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(ports.job("b")).isEmpty();
    }

    @Test
    void portsGoRoundTheRangeSoAFreedOneIsNotReusedAtOnce() {
        table.admit(web("a").withMemoryMb(1), T0, port -> true);
        table.move("a", JobState.STARTING, null, null, T0);
        table.move("a", JobState.CRASHED, "exited with status 1", 1, T0);

        assertThat(table.admit(web("b").withMemoryMb(1), T0, port -> true).job().address()).endsWith(":20001");
        assertThat(table.admit(web("c").withMemoryMb(1), T0, port -> true).job().address()).endsWith(":20002");
        assertThat(table.admit(web("d").withMemoryMb(1), T0, port -> true).job().address())
                .as("the ended job's port, after wrapping").endsWith(":20000");
    }

    @Test
    void movesFollowTheStateTable() {
        table.admit(web("a"), T0, port -> true);
        Instant later = T0.plusSeconds(5);

        JobTable.Move starting = table.move("a", JobState.STARTING, null, null, later);
        assertThat(starting.moved()).isTrue();
        assertThat(starting.from()).isEqualTo(JobState.PENDING);
        assertThat(starting.job().updatedAt()).isEqualTo(later);
        assertThat(table.move("a", JobState.STARTING, null, null, later).kind())
                .isEqualTo(JobTable.Move.Kind.UNCHANGED);
        assertThat(table.move("nope", JobState.UP, null, null, later).kind()).isEqualTo(JobTable.Move.Kind.UNCHANGED);

        table.move("a", JobState.CRASHED, "exited with status 3", 3, later);
        JobTable.Move illegal = table.move("a", JobState.UP, null, null, later);
        assertThat(illegal.kind()).isEqualTo(JobTable.Move.Kind.ILLEGAL);
        assertThat(table.job("a").orElseThrow().state()).isEqualTo(JobState.CRASHED);
        assertThat(table.job("a").orElseThrow().exitStatus()).isEqualTo(3);
        assertThat(table.host().allocatedMemoryMb()).as("an ended job holds nothing").isZero();
        assertThat(table.host().activeJobs()).isZero();
    }

    @Test
    void aWebJobIsAnnouncedWhenItComesUpAndWithdrawnWhenItLeavesUp() {
        table.admit(web("a"), T0, port -> true);
        table.admit(worker("w"), T0, port -> true);
        JobTable.Move starting = table.move("a", JobState.STARTING, null, null, T0);
        JobTable.Move up = table.move("a", JobState.UP, null, null, T0);
        JobTable.Move stopping = table.move("a", JobState.STOPPING, "stop requested", null, T0);
        JobTable.Move down = table.move("a", JobState.DOWN, "stopped", 0, T0);

        assertThat(List.of(starting, up, stopping, down)).extracting(JobTable.Move::announces)
                .containsExactly(false, true, false, false);
        assertThat(List.of(starting, up, stopping, down)).extracting(JobTable.Move::withdraws)
                .containsExactly(false, false, true, false);
        table.move("w", JobState.STARTING, null, null, T0);
        assertThat(table.move("w", JobState.UP, null, null, T0).announces()).as("a worker is not announced").isFalse();
    }

    @Test
    void aStartTellsWhetherAStopWasAskedWhileTheContainerWasMade() {
        table.admit(worker("w"), T0, port -> true);
        table.move("w", JobState.STARTING, null, null, T0);
        assertThat(table.startingWithContainer()).isEmpty();
        assertThat(table.started("w", T0.plusSeconds(1))).isFalse();
        assertThat(table.startingWithContainer()).extracting(JobTable.Entry::id).containsExactly("w");
        assertThat(table.runningContainers()).containsExactly("w");

        table.admit(worker("x"), T0, port -> true);
        table.move("x", JobState.STARTING, null, null, T0);
        table.move("x", JobState.STOPPING, "stop requested", null, T0);
        assertThat(table.started("x", T0)).isTrue();
        assertThat(table.started("gone", T0)).isFalse();
    }

    @Test
    void anInteractiveJobWaitsForItsFirstAttachUntilTheTimeout() {
        JobSpec run = JobSpec.of("r", "shop", "run", "img", List.of("sh")).withTty(true, true);
        table.admit(run, T0, port -> true);
        table.move("r", JobState.STARTING, null, null, T0);
        table.waitForAttach("r", T0);

        assertThat(table.entry("r").orElseThrow().waitsForAttach()).isTrue();
        assertThat(table.unattached(T0.plusSeconds(60), Duration.ofSeconds(60))).isEmpty();
        assertThat(table.unattached(T0.plusSeconds(61), Duration.ofSeconds(60))).containsExactly("r");
        table.claim("r");
        assertThat(table.entry("r").orElseThrow().waitsForAttach()).isFalse();
        assertThat(table.unattached(T0.plusSeconds(61), Duration.ofSeconds(60))).as("claimed by an attach").isEmpty();
        assertThat(table.runningContainers()).as("its container was not started").isEmpty();
    }

    @Test
    void upJobsWithAPortAreTheOnesCheckedWhileUp() {
        table.admit(web("a"), T0, port -> true);
        table.admit(worker("w"), T0, port -> true);
        for (String id : List.of("a", "w")) {
            table.move(id, JobState.STARTING, null, null, T0);
            table.started(id, T0);
            table.move(id, JobState.UP, null, null, T0);
        }
        assertThat(table.upWithPort()).extracting(JobTable.Entry::id).containsExactly("a");
    }

    @Test
    void onlyAnEndedJobIsRemoved() {
        assertThat(statusOf(() -> table.remove("nope"))).isEqualTo(HttpStatus.NOT_FOUND);
        table.admit(worker("w"), T0, port -> true);
        table.move("w", JobState.STARTING, null, null, T0);
        assertThatThrownBy(() -> table.remove("w")).hasMessage("job w is starting; stop it before removing it");
        table.move("w", JobState.FAILED, "bad image", null, T0);

        assertThat(table.remove("w").id()).isEqualTo("w");
        assertThat(table.jobs()).isEmpty();
    }

    private static ContainerInfo container(JobTable.Entry of, ContainerInfo.Status status, Integer exit,
                                           Integer hostPort, Instant startedAt) {
        ContainerSpec spec = JobContainers.containerSpec(of);
        return new ContainerInfo(of.id(), "c-" + of.id(), "img", status, exit, false, null, startedAt,
                status == ContainerInfo.Status.EXITED ? startedAt : null, hostPort, spec.labels());
    }

    @Test
    void adoptsARunningContainerStartingAndRemembersAnEndedOneByItsEnding() {
        JobTable before = new JobTable("h1", "u", "127.0.0.1", new PortRange(20000, 20002), 512);
        JobTable.Entry webEntry = before.admit(web("a"), T0, port -> true);
        JobTable.Entry workerEntry = before.admit(worker("w"), T0, port -> true);
        Instant now = T0.plusSeconds(100);

        JobTable.Adoption running = table.adopt(container(webEntry, ContainerInfo.Status.RUNNING, null, 20000,
                T0.plusSeconds(1)), now);
        JobTable.Adoption ended = table.adopt(container(workerEntry, ContainerInfo.Status.EXITED, 4, null,
                T0.plusSeconds(1)), now);

        assertThat(running.adopted()).isTrue();
        HostJob job = running.entry().job();
        assertThat(job.state()).isEqualTo(JobState.STARTING);
        assertThat(job.address()).isEqualTo("127.0.0.1:20000");
        assertThat(job.createdAt()).as("from its label").isEqualTo(T0);
        assertThat(running.entry().started()).isTrue();
        assertThat(running.entry().startingSince()).as("its health check's time counts from now").isEqualTo(now);
        assertThat(ended.entry().job().state()).isEqualTo(JobState.CRASHED);
        assertThat(ended.entry().job().exitStatus()).isEqualTo(4);
        assertThat(ended.entry().job().updatedAt()).as("as of its exit, not of its adoption")
                .isEqualTo(T0.plusSeconds(1));
        assertThat(table.host().allocatedMemoryMb()).isEqualTo(128);
        assertThat(table.admit(web("b").withMemoryMb(1), now, port -> true).job().address())
                .as("ports go on after the adopted one").endsWith(":20001");

        JobTable.Adoption again = table.adopt(container(webEntry, ContainerInfo.Status.RUNNING, null, 20000, T0), now);
        assertThat(again.adopted()).isFalse();
        assertThat(again.refused()).as("already known: neither adopted nor refused").isFalse();
    }

    @Test
    void aContainerWithoutAReadableSpecIsNotAdopted() {
        ContainerInfo bare = new ContainerInfo("x", "c", "img", ContainerInfo.Status.RUNNING, null, false, null, T0,
                null, null, Map.of());
        ContainerInfo garbled = new ContainerInfo("y", "c", "img", ContainerInfo.Status.RUNNING, null, false, null, T0,
                null, null, Map.of(JobContainers.LABEL_SPEC, "{not json"));

        assertThat(table.adopt(bare, T0).refusal()).isEqualTo("no spec label");
        assertThat(table.adopt(garbled, T0).refusal()).isEqualTo("unreadable spec label");
        assertThat(table.jobs()).isEmpty();
    }

    @Test
    void aJobsContainerCarriesItsSpecItsPortAndItsMemoryLimit() {
        JobTable.Entry entry = table.admit(web("a").withEnv(Map.of("A", "b")), T0, port -> true);
        ContainerSpec spec = JobContainers.containerSpec(entry);

        assertThat(spec.env()).containsEntry("A", "b").containsEntry("PORT", "8000");
        assertThat(spec.memoryBytes()).isEqualTo(128L * 1024 * 1024);
        assertThat(spec.hostPort()).isEqualTo(20000);
        ContainerInfo info = new ContainerInfo("a", "c", "img", ContainerInfo.Status.RUNNING, null, false, null, T0,
                null, 20000, spec.labels());
        assertThat(JobContainers.spec(info)).contains(entry.spec());
        assertThat(JobContainers.created(info)).contains(T0);
    }

    @Test
    void aVolumeIsOneJobsAtATimeAndIsDeletedOnlyWhenNoJobThatHasNotEndedMountsIt() {
        table.volumeMade(new dev.pier.api.host.HostVolume("shop.db.0", "h1", "shop", "db", "/data", 10, T0, null));
        JobSpec db = worker("d1").withVolumes(List.of(new dev.pier.api.host.VolumeMount("shop.db.0", "/data")));
        table.admit(db, T0, port -> true);

        assertThat(table.volumes()).singleElement().satisfies(v -> assertThat(v.jobId()).isEqualTo("d1"));
        assertThat(table.host().volumes()).singleElement().satisfies(v -> assertThat(v.jobId()).isEqualTo("d1"));
        assertThatThrownBy(() -> table.admit(worker("d2").withVolumes(db.volumes()), T0, port -> true))
                .hasMessageContaining("volume shop.db.0 is in use by job d1");
        assertThatThrownBy(() -> table.checkRemovable("shop.db.0")).hasMessageContaining("in use by job d1");
        assertThatThrownBy(() -> table.checkRemovable("shop.db.9")).hasMessageContaining("no volume shop.db.9");

        table.move("d1", JobState.STARTING, null, null, T0);
        table.move("d1", JobState.CRASHED, "exit 1", 1, T0);
        assertThat(table.volumes()).singleElement().satisfies(v -> assertThat(v.jobId()).isNull());
        assertThat(table.endedUsers("shop.db.0")).containsExactly("d1");
        table.checkRemovable("shop.db.0");
        table.volumeRemoved("shop.db.0");
        assertThat(table.volumes()).isEmpty();
    }

    @Test
    void aFixedHostPortIsTakenExactlyOrRefusedNamingThePort() {
        JobTable fixed = new JobTable("h3", "u", "127.0.0.1", "172.17.0.1", new PortRange(20000, 20002), 4096);
        JobTable.Entry first = fixed.admit(web("a").withFixedHostPort(25432), T0, port -> true, port -> true);
        assertThat(first.hostPort()).isEqualTo(25432);
        assertThat(first.job().address()).isEqualTo("127.0.0.1:25432");
        assertThat(fixed.jobAddressOf(first)).isEqualTo("172.17.0.1:25432");
        assertThat(fixed.alsoPublishOn(first)).isEqualTo("172.17.0.1");
        assertThat(JobContainers.containerSpec(first, fixed.alsoPublishOn(first)).alsoPublishOn())
                .isEqualTo("172.17.0.1");
        assertThat(first.isAnnounced()).as("a fixed-port job is announced").isTrue();
        assertThatThrownBy(() -> fixed.admit(web("b").withFixedHostPort(25432), T0, port -> true, port -> true))
                .hasMessage("port 25432 of host h3 is taken by job a");
        assertThatThrownBy(() -> fixed.admit(web("c").withFixedHostPort(25433), T0, port -> true, port -> false))
                .hasMessageContaining("port 25433 of host h3 is taken by another program")
                .hasMessageContaining("127.0.0.1 and 172.17.0.1");
        JobTable.Entry ranged = fixed.admit(web("d"), T0, port -> true, port -> true);
        assertThat(fixed.jobAddressOf(ranged)).as("only fixed ports have a job address").isNull();
        assertThat(fixed.alsoPublishOn(ranged)).isNull();
    }
}
