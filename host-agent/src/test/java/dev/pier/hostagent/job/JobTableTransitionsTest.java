package dev.pier.hostagent.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.api.HealthCheck;
import dev.pier.api.JobState;
import dev.pier.api.host.HostJob;
import dev.pier.api.host.HostVolume;
import dev.pier.api.host.JobSpec;
import dev.pier.api.host.VolumeMount;
import dev.pier.hostagent.runtime.ContainerInfo;
import dev.pier.web.ApiProblem;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

/**
 * What each event the agent learns of makes of a job, decided by the table alone: health verdicts, a container seen
 * exited or gone (the out-of-memory notice that comes after the exit included), a stop asked for (and its race with
 * a crash and with the container's start), attaches and their timeout, and what each move implies for discovery and
 * the host.
 */
class JobTableTransitionsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant T1 = T0.plusSeconds(1);
    private final JobTable table = new JobTable("h1", "http://127.0.0.1:8320", "127.0.0.1", new PortRange(20000, 20009),
            1024);

    private static JobSpec web(String id) {
        return JobSpec.of(id, "shop", "web", "img", List.of("serve")).withPort(8000).withMemoryMb(128);
    }

    private static JobSpec worker(String id) {
        return JobSpec.of(id, "shop", "worker", "img", List.of("work")).withMemoryMb(64);
    }

    private static JobSpec console(String id) {
        return JobSpec.of(id, "shop", "run", "img", List.of("sh")).withTty(true, true);
    }

    /** A job admitted and starting, its container not started yet. */
    private JobTable.Entry starting(JobSpec spec) {
        table.admit(spec, T0, port -> true);
        assertThat(table.move(spec.id(), JobState.STARTING, null, null, T0).moved()).isTrue();
        return table.entry(spec.id()).orElseThrow();
    }

    /** A job whose container was started and that is still starting (its health check decides). */
    private void running(JobSpec spec) {
        starting(spec);
        assertThat(table.started(spec.id(), T0)).isFalse();
    }

    /** A job up. */
    private void up(JobSpec spec) {
        running(spec);
        assertThat(table.healthy(spec.id(), T0).moved()).isTrue();
    }

    private HostJob job(String id) {
        return table.job(id).orElseThrow();
    }

    private static ContainerInfo exited(String id, int exit, boolean oom) {
        return new ContainerInfo(id, "c-" + id, "img", ContainerInfo.Status.EXITED, exit, oom, null, T0, T1, null,
                Map.of());
    }

    private static ContainerInfo withStatus(String id, ContainerInfo.Status status) {
        return new ContainerInfo(id, "c-" + id, "img", status, null, false,
                status == ContainerInfo.Status.CREATED ? "exec: \"serve\": executable file not found" : null,
                status == ContainerInfo.Status.RUNNING ? T0 : null, null, null, Map.of());
    }

    private static HttpStatus statusOf(Runnable call) {
        try {
            call.run();
        } catch (ApiProblem problem) {
            return problem.status();
        }
        return null;
    }

    // ---- health verdicts ----

    @Test
    void aStartingJobThatPassesItsHealthCheckIsUpAndAWebOneIsAnnouncedWithTheHostAsTheMoveLeftIt() {
        running(web("a"));

        JobTable.Move up = table.healthy("a", T1);

        assertThat(up.moved()).isTrue();
        assertThat(up.from()).isEqualTo(JobState.STARTING);
        assertThat(up.job().state()).isEqualTo(JobState.UP);
        assertThat(up.job().updatedAt()).isEqualTo(T1);
        assertThat(up.announces()).isTrue();
        assertThat(up.host().activeJobs()).isEqualTo(1);
        assertThat(up.host().allocatedMemoryMb()).isEqualTo(128);
        assertThat(table.healthy("a", T1).moved()).as("up already: a later pass changes nothing").isFalse();
        assertThat(table.healthy("nope", T1).moved()).isFalse();
    }

    @Test
    void aPassThatArrivesAfterTheJobWasStoppedOrEndedChangesNothing() {
        running(web("a"));
        table.stop("a", T0);
        assertThat(table.healthy("a", T1).kind()).isEqualTo(JobTable.Move.Kind.UNCHANGED);
        assertThat(job("a").state()).isEqualTo(JobState.STOPPING);

        running(worker("w"));
        table.move("w", JobState.CRASHED, "exited with status 1", 1, T0);
        assertThat(table.healthy("w", T1).kind()).as("not illegal: not asked at all").isEqualTo(
                JobTable.Move.Kind.UNCHANGED);
        assertThat(job("w").state()).isEqualTo(JobState.CRASHED);
    }

    @Test
    void aStartingJobThatNeverPassesItsCheckCrashedNamingTheCheckAndTheTimeout() {
        running(web("a"));
        running(web("b").withHealthCheck(HealthCheck.http("/health").withGrace(10)));

        JobTable.Move a = table.neverHealthy("a", Duration.ofSeconds(60), null, T1);
        JobTable.Move b = table.neverHealthy("b", Duration.ofSeconds(10), null, T1);

        assertThat(a.moved()).isTrue();
        assertThat(a.job().state()).isEqualTo(JobState.CRASHED);
        assertThat(a.job().reason())
                .isEqualTo("health check (a TCP connection to port 8000) did not pass within 60 s");
        assertThat(a.announces() || a.withdraws()).as("it was never announced").isFalse();
        assertThat(b.job().reason())
                .isEqualTo("health check (GET /health on port 8000 answering 2xx) did not pass within 10 s");
        assertThat(a.host().activeJobs()).as("b still counted when a crashed").isEqualTo(1);
        assertThat(table.host().activeJobs()).isZero();

        running(web("c"));
        assertThat(table.neverHealthy("c", Duration.ofSeconds(60), HealthChecks.loopbackFinding(8000), T1).job()
                .reason()).isEqualTo("health check (a TCP connection to port 8000) did not pass within 60 s: the app "
                + "listens on port 8000 on a loopback address only (127.0.0.1 or ::1), which nothing outside its "
                + "container reaches: listen on 0.0.0.0, all addresses, on $PORT");
    }

    @Test
    void aTimeoutThatArrivesAfterTheJobCameUpOrWasStoppedChangesNothing() {
        up(web("a"));
        assertThat(table.neverHealthy("a", Duration.ofSeconds(60), null, T1).moved()).isFalse();
        assertThat(job("a").state()).isEqualTo(JobState.UP);

        running(worker("w"));
        table.stop("w", T0);
        assertThat(table.neverHealthy("w", Duration.ofSeconds(60), null, T1).moved()).isFalse();
        assertThat(job("w").state()).isEqualTo(JobState.STOPPING);
        assertThat(table.neverHealthy("nope", Duration.ofSeconds(60), null, T1).moved()).isFalse();
    }

    @Test
    void anUpJobThatFailsItsChecksCrashedWhileUpAndIsWithdrawn() {
        up(web("a"));

        JobTable.Move crashed = table.unhealthyWhileUp("a", T1);

        assertThat(crashed.moved()).isTrue();
        assertThat(crashed.job().state()).isEqualTo(JobState.CRASHED);
        assertThat(crashed.job().reason()).isEqualTo("health check (a TCP connection to port 8000) failed "
                + HealthChecks.FAILURES_TO_CRASH + " times in a row while up");
        assertThat(crashed.withdraws()).isTrue();
        assertThat(table.unhealthyWhileUp("a", T1).moved()).as("crashed already").isFalse();
    }

    @Test
    void failedChecksThatArriveAfterAStopChangeNothing() {
        up(web("a"));
        table.stop("a", T0);

        assertThat(table.unhealthyWhileUp("a", T1).moved()).isFalse();
        assertThat(job("a").state()).isEqualTo(JobState.STOPPING);
        assertThat(job("a").reason()).isEqualTo("stop requested");
    }

    // ---- the container seen ----

    @Test
    void aRunningContainerChangesNothing() {
        up(web("a"));
        JobTable.Sighting seen = table.containerSeen("a", Optional.of(withStatus("a", ContainerInfo.Status.RUNNING)),
                false, T1);

        assertThat(seen.move().moved()).isFalse();
        assertThat(seen.looksAgain()).isFalse();
        assertThat(job("a").state()).isEqualTo(JobState.UP);
    }

    @Test
    void anExitEndsTheJobByWhyItExited() {
        up(web("a"));
        running(worker("w"));
        running(worker("z"));

        JobTable.Move crashed = table.containerSeen("a", Optional.of(exited("a", 3, false)), false, T1).move();
        JobTable.Move down = table.containerSeen("w", Optional.of(exited("w", 0, false)), false, T1).move();
        JobTable.Move oom = table.containerSeen("z", Optional.of(exited("z", 137, true)), false, T1).move();

        assertThat(crashed.job().state()).isEqualTo(JobState.CRASHED);
        assertThat(crashed.job().reason()).isEqualTo("exited with status 3");
        assertThat(crashed.job().exitStatus()).isEqualTo(3);
        assertThat(crashed.withdraws()).as("it was up: routers stop sending it requests").isTrue();
        assertThat(down.job().state()).isEqualTo(JobState.DOWN);
        assertThat(down.job().reason()).isEqualTo("exited with status 0");
        assertThat(oom.job().state()).isEqualTo(JobState.CRASHED);
        assertThat(oom.job().reason()).isEqualTo("out of memory: over its 64 MB limit");
        assertThat(table.host().activeJobs()).isZero();
    }

    /**
     * The engine learns of an OOM kill and of the exit by two notices and can report the exit first: an unasked-for
     * SIGKILL not yet flagged is looked at again, and the second look decides either way.
     */
    @Test
    void anUnflaggedSigkillIsLookedAtAgainAndTheOutOfMemoryNoticeThatArrivesAfterTheExitWins() {
        running(worker("w"));

        JobTable.Sighting first = table.containerSeen("w", Optional.of(exited("w", 137, false)), false, T1);
        assertThat(first.looksAgain()).isTrue();
        assertThat(first.move().moved()).as("not judged on the first look").isFalse();
        assertThat(job("w").state()).isEqualTo(JobState.STARTING);

        JobTable.Sighting second = table.containerSeen("w", Optional.of(exited("w", 137, true)), true, T1);
        assertThat(second.looksAgain()).isFalse();
        assertThat(second.move().job().state()).isEqualTo(JobState.CRASHED);
        assertThat(second.move().job().reason()).isEqualTo("out of memory: over its 64 MB limit");
        assertThat(second.move().job().exitStatus()).isEqualTo(137);
    }

    @Test
    void aSigkillStillUnflaggedOnTheSecondLookIsACrashByItsExitStatus() {
        running(worker("w"));
        table.containerSeen("w", Optional.of(exited("w", 137, false)), false, T1);

        JobTable.Sighting second = table.containerSeen("w", Optional.of(exited("w", 137, false)), true, T1);

        assertThat(second.looksAgain()).as("the second look decides").isFalse();
        assertThat(job("w").state()).isEqualTo(JobState.CRASHED);
        assertThat(job("w").reason()).isEqualTo("exited with status 137");
    }

    @Test
    void anExitFlaggedOutOfMemoryOrByAnotherSignalIsJudgedAtOnce() {
        running(worker("w"));
        running(worker("x"));

        assertThat(table.containerSeen("w", Optional.of(exited("w", 137, true)), false, T1).looksAgain()).isFalse();
        assertThat(table.containerSeen("x", Optional.of(exited("x", 143, false)), false, T1).looksAgain()).isFalse();
        assertThat(job("x").reason()).isEqualTo("exited with status 143");
    }

    /** A stop asked for ends the job down whatever its exit: the SIGKILL after the grace period is no crash. */
    @Test
    void aStoppedJobThatExitsIsDownWhateverItsExitAndIsNotLookedAtAgain() {
        up(web("a"));
        table.stop("a", T0);

        JobTable.Sighting seen = table.containerSeen("a", Optional.of(exited("a", 137, false)), false, T1);

        assertThat(seen.looksAgain()).isFalse();
        assertThat(seen.move().from()).isEqualTo(JobState.STOPPING);
        assertThat(job("a").state()).isEqualTo(JobState.DOWN);
        assertThat(job("a").reason()).isEqualTo("stopped");
        assertThat(job("a").exitStatus()).isEqualTo(137);
        assertThat(seen.move().withdraws()).as("withdrawn already, by its move to stopping").isFalse();
    }

    /** A job that crashed before its stop was asked for stays crashed: the stop finds it ended. */
    @Test
    void aCrashSeenBeforeTheStopStaysACrash() {
        up(worker("w"));
        table.containerSeen("w", Optional.of(exited("w", 1, false)), false, T0);

        JobTable.Stop stop = table.stop("w", T1);

        assertThat(stop.moves()).isEmpty();
        assertThat(stop.signal()).isEqualTo(JobTable.Signal.NONE);
        assertThat(job("w").state()).isEqualTo(JobState.CRASHED);
    }

    /** A stop asked for before the exit is seen wins over the exit status: the job was being stopped. */
    @Test
    void aStopAskedBeforeTheExitIsSeenMakesTheEndingDown() {
        up(worker("w"));
        table.stop("w", T0);

        table.containerSeen("w", Optional.of(exited("w", 1, false)), false, T1);

        assertThat(job("w").state()).isEqualTo(JobState.DOWN);
        assertThat(job("w").reason()).isEqualTo("stopped");
    }

    @Test
    void aStartedContainerBackToCreatedFailedAndOneNotStartedYetIsLeftAlone() {
        running(worker("w"));
        starting(worker("x"));

        JobTable.Move failed = table.containerSeen("w", Optional.of(withStatus("w", ContainerInfo.Status.CREATED)),
                false, T1).move();
        JobTable.Move notYet = table.containerSeen("x", Optional.of(withStatus("x", ContainerInfo.Status.CREATED)),
                false, T1).move();

        assertThat(failed.job().state()).isEqualTo(JobState.FAILED);
        assertThat(failed.job().reason()).isEqualTo("exec: \"serve\": executable file not found");
        assertThat(notYet.moved()).as("its container is still being started").isFalse();
        assertThat(job("x").state()).isEqualTo(JobState.STARTING);
    }

    @Test
    void aContainerGoneIsRemovedOutsideTheAgentOnlyOnceItWasStarted() {
        up(web("a"));
        starting(worker("x"));

        JobTable.Move gone = table.containerSeen("a", Optional.empty(), false, T1).move();
        JobTable.Move notYet = table.containerSeen("x", Optional.empty(), false, T1).move();

        assertThat(gone.job().state()).isEqualTo(JobState.CRASHED);
        assertThat(gone.job().reason()).isEqualTo("container removed outside the agent");
        assertThat(gone.withdraws()).isTrue();
        assertThat(notYet.moved()).as("its container does not exist yet").isFalse();
    }

    @Test
    void aContainerRemovedOutsideTheAgentCrashesItsJobOrEndsAStoppingOneDown() {
        up(worker("w"));
        up(worker("s"));
        table.stop("s", T0);

        assertThat(table.removedOutside("w", T1).job().state()).isEqualTo(JobState.CRASHED);
        JobTable.Move stopped = table.removedOutside("s", T1);
        assertThat(stopped.job().state()).isEqualTo(JobState.DOWN);
        assertThat(stopped.job().reason()).isEqualTo("container removed outside the agent");
        assertThat(table.removedOutside("w", T1).moved()).as("ended already").isFalse();
        assertThat(table.removedOutside("nope", T1).moved()).isFalse();
    }

    @Test
    void anEndedOrUnknownJobIgnoresWhatItsContainerShows() {
        running(worker("w"));
        table.move("w", JobState.FAILED, "bad image", null, T0);

        JobTable.Sighting seen = table.containerSeen("w", Optional.of(exited("w", 137, false)), false, T1);

        assertThat(seen.looksAgain()).isFalse();
        assertThat(seen.move().moved()).isFalse();
        assertThat(job("w").reason()).isEqualTo("bad image");
        assertThat(table.containerSeen("nope", Optional.empty(), false, T1).move().moved()).isFalse();
    }

    // ---- stops ----

    @Test
    void aServingWebJobIsWithdrawnAtOnceAndDrainedBeforeItsContainerIsStopped() {
        up(web("a"));

        JobTable.Stop stop = table.stop("a", T1);

        assertThat(stop.signal()).isEqualTo(JobTable.Signal.DRAIN_THEN_STOP);
        assertThat(stop.moves()).singleElement().satisfies(move -> {
            assertThat(move.to()).isEqualTo(JobState.STOPPING);
            assertThat(move.job().reason()).isEqualTo("stop requested");
            assertThat(move.withdraws()).isTrue();
            assertThat(move.host().activeJobs()).as("a stopping job still holds its memory").isEqualTo(1);
        });
    }

    @Test
    void aJobNotServingIsStoppedWithoutDrain() {
        running(web("a"));
        up(worker("w"));

        JobTable.Stop startingWeb = table.stop("a", T1);
        JobTable.Stop upWorker = table.stop("w", T1);

        assertThat(startingWeb.signal()).as("a web job not up yet serves nothing").isEqualTo(JobTable.Signal.STOP);
        assertThat(startingWeb.moves()).singleElement().satisfies(m -> assertThat(m.withdraws()).isFalse());
        assertThat(upWorker.signal()).isEqualTo(JobTable.Signal.STOP);
        assertThat(job("w").state()).isEqualTo(JobState.STOPPING);
    }

    @Test
    void aStopOfAStoppingOrEndedJobDoesNothingAndOfAnUnknownOneIsNotFound() {
        up(worker("w"));
        table.stop("w", T0);

        JobTable.Stop again = table.stop("w", T1);

        assertThat(again.moves()).isEmpty();
        assertThat(again.signal()).isEqualTo(JobTable.Signal.NONE);
        assertThat(job("w").updatedAt()).isEqualTo(T0);
        assertThatThrownBy(() -> table.stop("nope", T1))
                .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.status()).isEqualTo(HttpStatus.NOT_FOUND))
                .hasMessage("no job nope on host h1");
    }

    /** Stopped while its container was being made: the start tells so, and the container is stopped once made. */
    @Test
    void aStopWhileTheContainerIsMadeIsSignalledAndTheStartSaysSo() {
        starting(worker("w"));

        JobTable.Stop stop = table.stop("w", T0);

        assertThat(stop.signal()).isEqualTo(JobTable.Signal.STOP);
        assertThat(table.started("w", T1)).as("a stop was asked meanwhile").isTrue();
        assertThat(table.runningContainers()).containsExactly("w");
        assertThat(table.startingWithContainer()).as("no health check for a stopping job").isEmpty();
    }

    // ---- attaches ----

    @Test
    void anInteractiveJobWaitsForItsFirstAttachWhichTakesItAndLaterOnesJoin() {
        starting(console("r"));

        assertThat(table.createdForAttach("r", T1).moved()).isFalse();
        assertThat(table.entry("r").orElseThrow().waitsForAttach()).isTrue();
        assertThat(table.entry("r").orElseThrow().startingSince()).isEqualTo(T1);

        assertThat(table.attaching("r")).as("the first attach starts it").isTrue();
        assertThat(table.entry("r").orElseThrow().waitsForAttach()).isFalse();
        assertThat(table.started("r", T1)).isFalse();
        assertThat(table.attaching("r")).as("a later attach joins").isFalse();
    }

    @Test
    void anAttachIsRefusedForAnUnknownJobOneNotInteractiveAndOneEnded() {
        running(worker("w"));
        starting(console("r"));
        table.move("r", JobState.FAILED, "nobody attached within 60 s", null, T1);

        assertThat(statusOf(() -> table.attaching("nope"))).isEqualTo(HttpStatus.NOT_FOUND);
        assertThatThrownBy(() -> table.attaching("w")).hasMessage(
                "job w was not started interactive: nothing to attach to (read its output from its log)");
        assertThatThrownBy(() -> table.attaching("r"))
                .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.status()).isEqualTo(HttpStatus.CONFLICT))
                .hasMessage("job r is failed (nobody attached within 60 s)");
    }

    @Test
    void anInteractiveJobStoppedBeforeAnyoneAttachedIsDownAndItsContainerIsNotSignalled() {
        starting(console("r"));
        table.createdForAttach("r", T0);

        JobTable.Stop stop = table.stop("r", T1);

        assertThat(stop.signal()).isEqualTo(JobTable.Signal.NONE);
        assertThat(stop.moves()).extracting(JobTable.Move::to).containsExactly(JobState.STOPPING, JobState.DOWN);
        assertThat(job("r").reason()).isEqualTo("stopped before anyone attached");
        assertThat(stop.moves().get(0).host().activeJobs()).as("each move with the host as it left it").isEqualTo(1);
        assertThat(stop.moves().get(1).host().activeJobs()).isZero();
        assertThat(table.failUnattached(T1.plusSeconds(120), Duration.ofSeconds(60))).isEmpty();
    }

    @Test
    void anInteractiveJobStoppedWhileItsContainerWasCreatedIsDownOnceCreated() {
        starting(console("r"));
        assertThat(table.stop("r", T0).signal()).as("its container may exist: stopped").isEqualTo(
                JobTable.Signal.STOP);

        JobTable.Move down = table.createdForAttach("r", T1);

        assertThat(down.moved()).isTrue();
        assertThat(down.job().state()).isEqualTo(JobState.DOWN);
        assertThat(down.job().reason()).isEqualTo("stopped before anyone attached");
        assertThat(table.entry("r").orElseThrow().waitsForAttach()).isFalse();
    }

    @Test
    void nobodyAttachingWithinTheTimeoutFailsTheJobOnceAndAnAttachedOneIsNotFailed() {
        starting(console("r"));
        table.createdForAttach("r", T0);
        starting(console("s"));
        table.createdForAttach("s", T0);
        table.attaching("s");

        assertThat(table.failUnattached(T0.plusSeconds(60), Duration.ofSeconds(60))).as("not over yet").isEmpty();
        List<JobTable.Move> failed = table.failUnattached(T0.plusSeconds(61), Duration.ofSeconds(60));

        assertThat(failed).singleElement().satisfies(move -> {
            assertThat(move.jobId()).isEqualTo("r");
            assertThat(move.job().state()).isEqualTo(JobState.FAILED);
            assertThat(move.job().reason()).isEqualTo("nobody attached within 60 s");
        });
        assertThat(table.failUnattached(T0.plusSeconds(120), Duration.ofSeconds(60))).isEmpty();
        assertThat(job("s").state()).isEqualTo(JobState.STARTING);
        assertThatThrownBy(() -> table.attaching("r")).hasMessageContaining("job r is failed");
    }

    // ---- restarts and volumes ----

    /** A job never runs again (the state table has no way back): the scheduler restarts it as a new job. */
    @Test
    void anEndedJobIsNotStartedAgainUnderItsIdAndItsReplacementTakesItsVolume() {
        table.volumeMade(new HostVolume("shop.db.0", "h1", "shop", "db", "/data", 10, T0, null));
        JobSpec db = worker("d1").withVolumes(List.of(new VolumeMount("shop.db.0", "/data")));
        up(db);
        assertThat(statusOf(() -> table.admit(worker("d2").withVolumes(db.volumes()), T0, port -> true)))
                .as("in use by d1").isEqualTo(HttpStatus.CONFLICT);

        table.containerSeen("d1", Optional.of(exited("d1", 1, false)), false, T1);

        assertThat(table.known(db)).as("the same start again returns it as it ended").get()
                .extracting(HostJob::state).isEqualTo(JobState.CRASHED);
        assertThat(table.move("d1", JobState.STARTING, null, null, T1).kind()).isEqualTo(JobTable.Move.Kind.ILLEGAL);
        JobTable.Entry replacement = table.admit(worker("d2").withVolumes(db.volumes()), T1, port -> true);
        assertThat(replacement.job().state()).isEqualTo(JobState.PENDING);
        assertThat(table.volume("shop.db.0").orElseThrow().jobId()).isEqualTo("d2");
        assertThat(table.endedUsers("shop.db.0")).containsExactly("d1");
        assertThatThrownBy(() -> table.checkRemovable("shop.db.0")).hasMessageContaining("in use by job d2");
    }

    @Test
    void aVolumeIsFreeOnceItsJobIsStoppingNoLongerButDown() {
        table.volumeMade(new HostVolume("shop.db.0", "h1", "shop", "db", "/data", 10, T0, null));
        JobSpec db = worker("d1").withVolumes(List.of(new VolumeMount("shop.db.0", "/data")));
        up(db);
        table.stop("d1", T0);
        assertThatThrownBy(() -> table.checkRemovable("shop.db.0"))
                .as("a stopping job still mounts it").hasMessageContaining("in use by job d1 (stopping)");

        table.containerSeen("d1", Optional.of(exited("d1", 143, false)), false, T1);

        table.checkRemovable("shop.db.0");
        assertThat(table.volumeRemoved("shop.db.0").name()).isEqualTo("shop.db.0");
        assertThat(statusOf(() -> table.volumeRemoved("shop.db.0"))).isEqualTo(HttpStatus.NOT_FOUND);
    }

    /** A restarted agent adopts a running container starting; what its container shows then ends it as usual. */
    @Test
    void anAdoptedJobIsCheckedAndEndedLikeAnyOther() {
        JobTable before = new JobTable("h1", "u", "127.0.0.1", new PortRange(20000, 20009), 1024);
        JobTable.Entry old = before.admit(web("a"), T0, port -> true);
        ContainerInfo runningContainer = new ContainerInfo("a", "c-a", "img", ContainerInfo.Status.RUNNING, null,
                false, null, T0, null, 20000, JobContainers.containerSpec(old).labels());
        assertThat(table.adopt(runningContainer, T1).adopted()).isTrue();

        assertThat(table.startingWithContainer()).extracting(JobTable.Entry::id).containsExactly("a");
        assertThat(table.healthy("a", T1).announces()).isTrue();
        JobTable.Sighting seen = table.containerSeen("a", Optional.of(exited("a", 137, false)), false, T1);
        assertThat(seen.looksAgain()).isTrue();
        assertThat(table.containerSeen("a", Optional.of(exited("a", 137, true)), true, T1).move().job().reason())
                .isEqualTo("out of memory: over its 128 MB limit");
    }

    // ---- what a move says ----

    @Test
    void anIllegalMoveChangesNothingAndSaysFromWhereAndToWhat() {
        running(worker("w"));
        table.move("w", JobState.DOWN, "exited with status 0", 0, T0);

        JobTable.Move illegal = table.move("w", JobState.UP, null, null, T1);

        assertThat(illegal.kind()).isEqualTo(JobTable.Move.Kind.ILLEGAL);
        assertThat(illegal.from()).isEqualTo(JobState.DOWN);
        assertThat(illegal.to()).isEqualTo(JobState.UP);
        assertThat(illegal.host()).isNull();
        assertThat(job("w").updatedAt()).isEqualTo(T0);
    }

    @Test
    void aJobAtAFixedPortIsAnnouncedWithItsJobAddress() {
        JobTable fixed = new JobTable("h3", "u", "127.0.0.1", "172.17.0.1", new PortRange(20000, 20002), 4096);
        fixed.admit(JobSpec.of("p", "db", "postgres", "img", List.of("pg")).withPort(5432).withFixedHostPort(25432),
                T0, port -> true, port -> true);
        fixed.move("p", JobState.STARTING, null, null, T0);
        fixed.started("p", T0);

        JobTable.Move up = fixed.healthy("p", T1);

        assertThat(up.announces()).isTrue();
        assertThat(up.jobAddress()).isEqualTo("172.17.0.1:25432");
        assertThat(up.job().address()).isEqualTo("127.0.0.1:25432");
    }
}
