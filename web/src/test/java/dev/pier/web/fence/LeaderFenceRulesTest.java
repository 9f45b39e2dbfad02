package dev.pier.web.fence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pier.api.discoverd.Fence;
import dev.pier.api.discoverd.Instance;
import dev.pier.api.discoverd.Leadership;
import dev.pier.api.http.PierApiException;
import dev.pier.web.ApiProblem;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

/** The receiver's rules over a leader read given as a function (the real read is in host-agent's LeaderFenceTest). */
class LeaderFenceRulesTest {
    private static final String SERVICE = "pier-scheduler";
    private final AtomicReference<Instance> leader = new AtomicReference<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicReference<PierApiException> failure = new AtomicReference<>();
    private final LeaderFence fence = new LeaderFence(service -> {
        reads.incrementAndGet();
        if (failure.get() != null) {
            throw failure.get();
        }
        return new Leadership(service, leader.get());
    });

    private static Instance candidate(String id, long index) {
        return new Instance(SERVICE, id, "127.0.0.1:8330", Map.of(), index);
    }

    @Test
    void noHeaderIsNotALeadersRequestAndPasses() {
        assertThatCode(() -> fence.check(null, "start job j")).doesNotThrowAnyException();
        assertThat(reads).hasValue(0);
    }

    @Test
    void theCurrentLeaderPassesAndADeposedOneIsRefusedAlsoWhileTheLeaderCannotBeRead() {
        leader.set(candidate("scheduler-a", 42));
        fence.check("pier-scheduler/scheduler-a/42", "start job j");

        leader.set(candidate("scheduler-b", 57));
        ApiProblem refused = catchThrowableOfType(() -> fence.check("pier-scheduler/scheduler-a/42", "stop job j"),
                ApiProblem.class);
        assertThat(refused.status()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(refused.field()).isEqualTo(Fence.HEADER);
        assertThat(refused.getMessage()).isEqualTo("scheduler-a (fence 42) no longer leads pier-scheduler: "
                + "scheduler-b (fence 57) does; refused: stop job j");
        assertThat(fence.newest(SERVICE)).isEqualTo(57);

        failure.set(new PierApiException(503, "Service Unavailable", "etcd is unreachable", null));
        ApiProblem again = catchThrowableOfType(() -> fence.check("pier-scheduler/scheduler-a/42", "stop job j"),
                ApiProblem.class);
        assertThat(again.status()).as("known stale: named so even with etcd unreachable").isEqualTo(HttpStatus.CONFLICT);
        assertThat(again.getMessage()).startsWith("scheduler-a (fence 42) no longer leads pier-scheduler: a newer "
                + "leader (fence 57) has led since");
    }

    @Test
    void afterEtcdLostItsDataTheNewLeadersLowerFencePasses() {
        leader.set(candidate("scheduler-a", 90));
        fence.check("pier-scheduler/scheduler-a/90", "start job j");

        leader.set(candidate("scheduler-b", 3)); // etcd came back empty: revisions start again from 1
        assertThatCode(() -> fence.check("pier-scheduler/scheduler-b/3", "start job k")).doesNotThrowAnyException();
        assertThat(catchThrowableOfType(() -> fence.check("pier-scheduler/scheduler-a/90", "stop job k"),
                ApiProblem.class).status()).isEqualTo(HttpStatus.CONFLICT);
    }

    @Test
    void aLeaderThatCannotBeConfirmedIsRefusedAsUnavailable() {
        failure.set(new PierApiException(503, "Service Unavailable", "etcd at http://127.0.0.1:2379 is unreachable",
                null));
        ApiProblem refused = catchThrowableOfType(() -> fence.check("pier-scheduler/scheduler-a/42", "start job j"),
                ApiProblem.class);
        assertThat(refused.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(refused.field()).isEqualTo(Fence.HEADER);
        assertThat(refused.getMessage()).startsWith("cannot confirm that scheduler-a (fence 42) still leads "
                + "pier-scheduler, so it may not start job j: ");
    }

    @Test
    void aMalformedFenceIsABadRequestNamingTheHeader() {
        ApiProblem bad = catchThrowableOfType(() -> fence.check("scheduler-a", "start job j"), ApiProblem.class);
        assertThat(bad.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(bad.field()).isEqualTo(Fence.HEADER);
    }
}
