package dev.pier.gitreceiver.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AppLocksTest {
    private final AppLocks locks = new AppLocks();

    @Test
    void aSecondPushToTheSameAppWaitsAndIsToldSo() throws Exception {
        AtomicInteger told = new AtomicInteger();
        AutoCloseable first = locks.acquire("shop", Duration.ofSeconds(1), told::incrementAndGet);
        assertThat(first).isNotNull();
        assertThat(told).hasValue(0);
        assertThat(locks.acquire("shop", Duration.ZERO, told::incrementAndGet)).as("busy: gives up").isNull();
        assertThat(told).hasValue(1);
        assertThat(locks.acquire("other", Duration.ZERO, told::incrementAndGet)).as("another app").isNotNull();

        first.close();
        assertThat(locks.acquire("shop", Duration.ZERO, told::incrementAndGet)).isNotNull();
        assertThat(told).hasValue(1);
    }
}
