package dev.pier.router.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CountsTest {

    @Test
    void statusCodesFallIntoTheirClassAndOddOnesIntoTheNearest() {
        assertThat(Counts.statusClass(101)).isEqualTo(1);
        assertThat(Counts.statusClass(200)).isEqualTo(2);
        assertThat(Counts.statusClass(399)).isEqualTo(3);
        assertThat(Counts.statusClass(404)).isEqualTo(4);
        assertThat(Counts.statusClass(504)).isEqualTo(5);
        assertThat(Counts.statusClass(42)).isEqualTo(1);
        assertThat(Counts.statusClass(999)).isEqualTo(5);
    }

    @Test
    void aDurationFallsIntoTheFirstBucketWhoseBoundItDoesNotExceed() {
        assertThat(Counts.bucket(0)).isZero();
        assertThat(Counts.bucket(500_000L)).isZero(); // 0.5 ms: on the bound, in it (le)
        assertThat(Counts.bucket(500_001L)).isEqualTo(1);
        assertThat(Counts.bucket(60_000_000_000L)).isEqualTo(Counts.BOUNDS.length - 1);
        assertThat(Counts.bucket(60_000_000_001L)).isEqualTo(Counts.BOUNDS.length); // +Inf
    }

    @Test
    void theSlotsDoNotOverlap() {
        Counts c = new Counts();
        for (int s = 1; s <= 5; s++) {
            c.answered(s * 100);
        }
        c.duration(90_000_000_000L);
        c.connectError();
        c.began();
        c.requestBytes(10);
        c.responseBytes(20);
        long[] expected = new long[Counts.SLOTS];
        for (int i = 0; i < 5; i++) {
            expected[Counts.STATUS + i] = 1;
        }
        expected[Counts.BUCKET + Counts.BOUNDS.length] = 1;
        expected[Counts.DURATION_NANOS] = 90_000_000_000L;
        expected[Counts.CONNECT_ERRORS] = 1;
        expected[Counts.ACTIVE] = 1;
        expected[Counts.REQUEST_BYTES] = 10;
        expected[Counts.RESPONSE_BYTES] = 20;
        long[] actual = new long[Counts.SLOTS];
        for (int i = 0; i < Counts.SLOTS; i++) {
            actual[i] = c.slots.get(i);
        }
        assertThat(actual).containsExactly(expected);
    }
}
