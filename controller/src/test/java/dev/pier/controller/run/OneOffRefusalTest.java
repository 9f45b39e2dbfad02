package dev.pier.controller.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.http.PierApiException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import org.junit.jupiter.api.Test;

/** Which failed starts of a one-off job may be tried on another host: only those that surely started nothing. */
class OneOffRefusalTest {
    @Test
    void aHostThatRefusedOrWasNeverReachedLeavesTheJobToAnother() {
        assertThat(OneOffJobs.neverReachedTheJob(new PierApiException(503, "Service Unavailable",
                "host h2 has 752 MB of memory free; job j asks for 1024", null))).isTrue();
        assertThat(OneOffJobs.neverReachedTheJob(new PierApiException("cannot reach http://h2: connection refused",
                new ConnectException("Connection refused")))).isTrue();
        assertThat(OneOffJobs.neverReachedTheJob(new PierApiException("cannot reach http://h2: timed out",
                new HttpConnectTimeoutException("connect timed out")))).isTrue();
    }

    @Test
    void aStartThatMayHaveReachedTheHostOrThatTheJobItselfFailedIsNotTriedElsewhere() {
        // the request went out and no answer came: the job may be running there
        assertThat(OneOffJobs.neverReachedTheJob(new PierApiException("no answer from http://h2 within 10 s",
                new HttpTimeoutException("request timed out")))).isFalse();
        assertThat(OneOffJobs.neverReachedTheJob(new PierApiException("cannot reach http://h2: reset",
                new java.io.IOException("Connection reset")))).isFalse();
        assertThat(OneOffJobs.neverReachedTheJob(new PierApiException(409, "Conflict",
                "volume data is in use by job j2", "volumes"))).isFalse();
        assertThat(OneOffJobs.neverReachedTheJob(new PierApiException(400, "Bad Request", "bad spec", null)))
                .isFalse();
    }
}
