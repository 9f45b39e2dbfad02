package dev.pier.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.pier.api.http.Json;
import org.junit.jupiter.api.Test;

/** The job list the scheduler reads holds builds' jobs too, which run no release. */
class JobJsonTest {
    private static final String BUILD_JOB = """
            {"id":"shop-build-5d9da1bfda","app":"shop","release_id":null,"process_type":"build","host_id":"host-1",
             "state":"up","restarts":0,"created_at":"2026-12-06T02:46:56Z","updated_at":"2026-12-06T02:46:58Z"}""";

    /** Regression: every scheduler pass was skipped ("Missing required creator property 'release_id'") while a
     * build ran, so no deployment made progress and every push timed out. */
    @Test
    void aBuildsJobWithoutAReleaseIsRead() throws Exception {
        Job job = Json.mapper().readValue(BUILD_JOB, Job.class);
        assertThat(job.releaseId()).isNull();
        assertThat(job.processType()).isEqualTo("build");
        assertThat(job.state()).isEqualTo(JobState.UP);
    }

    @Test
    void aJobWithoutItsStateIsRefused() {
        assertThatThrownBy(() -> Json.mapper().readValue(BUILD_JOB.replace("\"state\":\"up\",", ""), Job.class))
                .isInstanceOf(MismatchedInputException.class).hasMessageContaining("state");
    }
}
