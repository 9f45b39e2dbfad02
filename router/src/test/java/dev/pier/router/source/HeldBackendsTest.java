package dev.pier.router.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.router.table.Backend;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeldBackendsTest {
    private static final long HOLD = 10_000;
    private final Backend a = new Backend("a", "127.0.0.1", 20001);
    private final Backend b = new Backend("b", "127.0.0.1", 20002);
    private final Backend c = new Backend("c", "127.0.0.1", 20003);
    private final HeldBackends backends = new HeldBackends(HOLD);

    @Test
    void theFirstConnectionsListIsTakenAsItIs() {
        assertThat(backends.changed(List.of(a))).containsExactly(a);
        assertThat(backends.snapshot(List.of(b), false, 0)).containsExactly(b);
        assertThat(backends.heldIds()).isEmpty();
        assertThat(backends.nextDeadline()).isEmpty();
    }

    /** Regression (#17): a restarted discoverd's first list lacked every instance, and the router answered 503. */
    @Test
    void aReconnectedWatchWhoseListLacksInstancesKeepsRoutingThemUntilTheirOwnersRegisterAgain() {
        backends.snapshot(List.of(a, b), false, 0);

        assertThat(backends.snapshot(List.of(), true, 1_000)).containsExactly(a, b);
        assertThat(backends.heldIds()).containsExactlyInAnyOrder("a", "b");
        assertThat(backends.nextDeadline()).hasValue(11_000);

        assertThat(backends.changed(List.of(a))).as("a registered again: listed, no longer held")
                .containsExactly(a, b);
        assertThat(backends.heldIds()).containsExactly("b");
        assertThat(backends.changed(List.of(a, c))).containsExactly(a, c, b);

        assertThat(backends.expire(10_999)).containsExactly(a, c, b);
        assertThat(backends.expire(11_000)).as("b never came back").containsExactly(a, c);
        assertThat(backends.heldIds()).isEmpty();
        assertThat(backends.nextDeadline()).isEmpty();
    }

    @Test
    void aHeldInstanceThatGoesDownIsDroppedAtOnce() {
        backends.snapshot(List.of(a, b), false, 0);
        backends.snapshot(List.of(a), true, 0);
        assertThat(backends.down("b", List.of(a))).containsExactly(a);
        assertThat(backends.heldIds()).isEmpty();
    }

    @Test
    void aSecondReconnectionKeepsTheFirstDeadlineAndHoldsWhatItRoutedSince() {
        backends.snapshot(List.of(a, b), false, 0);
        backends.snapshot(List.of(a), true, 0);
        backends.changed(List.of(a, c));
        assertThat(backends.snapshot(List.of(), true, 5_000)).containsExactlyInAnyOrder(a, b, c);
        assertThat(backends.expire(HOLD)).as("b's hold ends when it was due, not 10 s after the second reconnection")
                .containsExactlyInAnyOrder(a, c);
        assertThat(backends.expire(5_000 + HOLD)).isEmpty();
    }

    @Test
    void deadlinesCompareAcrossTheNanoClocksWrap() {
        backends.snapshot(List.of(a), false, 0);
        backends.snapshot(List.of(), true, Long.MAX_VALUE - 5);
        assertThat(backends.expire(Long.MAX_VALUE)).containsExactly(a);
        assertThat(backends.expire(Long.MIN_VALUE + HOLD)).isEmpty();
    }
}
