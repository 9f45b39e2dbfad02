package dev.pier.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.pier.api.host.HostJob;
import dev.pier.api.host.JobSpec;
import dev.pier.api.host.VolumeMount;
import dev.pier.api.http.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The job list the scheduler reads holds builds' jobs too, which run no release; process types and job specs
 * written before volumes and fixed host ports read as before.
 */
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

    @Test
    void aJobWithoutReleaseOrVolumesStillReads() throws Exception {
        Job job = Json.mapper().readValue(BUILD_JOB.replace("\"release_id\":null,", ""), Job.class);
        assertThat(job.releaseId()).isNull();
    }

    @Test
    void aProcessTypeWrittenBeforeVolumesHasNoneAndNoFixedPort() throws Exception {
        ProcessType process = Json.mapper().readValue("{\"command\":\"node server.js\",\"port\":8080}",
                ProcessType.class);
        assertThat(process.volumes()).isEmpty();
        assertThat(process.hostPort()).isNull();
    }

    @Test
    void aProcessTypeWithVolumesAndAHostPortRoundTripsInSnakeCase() throws Exception {
        ProcessType process = new ProcessType("postgres", 5432, null, List.of(new ProcessVolume("/data", 1024)), 5433);
        String json = Json.mapper().writeValueAsString(process);
        assertThat(json).contains("\"volumes\":[{\"path\":\"/data\",\"size_mb\":1024}]").contains("\"host_port\":5433");
        assertThat(Json.mapper().readValue(json, ProcessType.class)).isEqualTo(process);
    }

    @Test
    void aJobSpecWrittenBeforeVolumesReadsWithNone() throws Exception {
        JobSpec spec = Json.mapper().readValue("""
                {"id":"j1","app":"shop","process_type":"web","image":"pier/slugrunner","command":["start","web"],
                 "port":8080}""", JobSpec.class);
        assertThat(spec.volumes()).isEmpty();
        assertThat(spec.fixedHostPort()).isNull();
        JobSpec withBoth = spec.withVolumes(List.of(new VolumeMount("shop.db.0", "/data"))).withFixedHostPort(25432);
        String json = Json.mapper().writeValueAsString(withBoth);
        assertThat(json).contains("\"volumes\":[{\"name\":\"shop.db.0\",\"path\":\"/data\"")
                .contains("\"fixed_host_port\":25432");
        assertThat(Json.mapper().readValue(json, JobSpec.class)).isEqualTo(withBoth);
    }

    @Test
    void aHostJobWrittenBeforeVolumesReadsWithNone() throws Exception {
        HostJob job = Json.mapper().readValue("""
                {"id":"j1","host_id":"h1","app":"shop","process_type":"web","state":"up"}""", HostJob.class);
        assertThat(job.volumes()).isEmpty();
    }
}
