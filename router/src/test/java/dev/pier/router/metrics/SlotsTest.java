package dev.pier.router.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SlotsTest {

    @Test
    void countersAddUpIndependently() {
        Slots s = new Slots(3);
        s.add(0, 1);
        s.add(0, 1);
        s.add(2, 5_000_000_000L);
        s.add(2, -1);
        assertThat(s.get(0)).isEqualTo(2);
        assertThat(s.get(1)).isZero();
        assertThat(s.get(2)).isEqualTo(4_999_999_999L);
    }

    @Test
    void anIndexOutsideTheCountersIsRefusedNotWrittenIntoThePadding() {
        Slots s = new Slots(2);
        assertThatThrownBy(() -> s.add(2, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> s.add(-1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> s.get(Slots.PAD)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void anotherThreadReadsWhatTheWriterStored() throws Exception {
        Slots s = new Slots(1);
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 100_000; i++) {
                s.add(0, 3);
            }
        });
        writer.start();
        writer.join();
        assertThat(s.get(0)).isEqualTo(300_000);
    }
}
