package dev.pier.controller.job;

import dev.pier.controller.support.Now;
import dev.pier.api.EventTypes;
import dev.pier.api.Job;
import dev.pier.api.JobReport;
import dev.pier.api.JobState;
import dev.pier.api.Names;
import dev.pier.api.OutOfMemory;
import dev.pier.controller.app.AppEntity;
import dev.pier.controller.app.Apps;
import dev.pier.controller.event.EventLog;
import dev.pier.controller.release.ReleaseRepository;
import dev.pier.controller.support.Input;
import dev.pier.web.ApiProblem;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Jobs as the scheduler reports them; a report may only move a job along {@link JobState}'s table. */
@Service
public class JobService {
    public static final Pattern JOB_ID = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,127}$");
    private static final List<String> ACTIVE = Arrays.stream(JobState.values())
            .filter(s -> !s.isTerminal()).map(JobState::wireName).toList();

    private final JobRepository jobs;
    private final ReleaseRepository releases;
    private final Apps apps;
    private final EventLog events;

    public JobService(JobRepository jobs, ReleaseRepository releases, Apps apps, EventLog events) {
        this.jobs = jobs;
        this.releases = releases;
        this.apps = apps;
        this.events = events;
    }

    @Transactional
    public Job report(String appName, String jobId, JobReport report) {
        Input.appName("app", appName);
        if (jobId == null || !JOB_ID.matcher(jobId).matches()) {
            throw ApiProblem.badRequest("id", "job id '" + Names.printable(String.valueOf(jobId))
                    + "' is invalid: use 1 to 128 lowercase letters, digits, '.', '_' and '-'");
        }
        Input.required("body", report);
        JobState next = Input.required("state", report.state());
        if (report.restarts() != null && report.restarts() < 0) {
            throw ApiProblem.badRequest("restarts", "restarts cannot be negative");
        }
        if (report.reason() != null && report.reason().length() > 2000) {
            throw ApiProblem.badRequest("reason", "reason must be at most 2000 characters");
        }
        if (report.address() != null && report.address().length() > 300) {
            throw ApiProblem.badRequest("address", "address must be at most 300 characters");
        }
        Instant now = Now.instant();
        JobEntity job = jobs.findById(jobId).orElse(null);
        if (job == null) {
            AppEntity app = apps.live(appName);
            var releaseId = Input.required("release_id", report.releaseId());
            if (releases.findOfApp(app.id(), releaseId).isEmpty()) {
                throw ApiProblem.badRequest("release_id", "app '" + appName + "' has no release " + releaseId);
            }
            String type = Input.required("process_type", report.processType());
            Input.check("process_type", Names.problemWithProcessType(type));
            job = jobs.save(new JobEntity(jobId, app.id(), releaseId, type, now));
        } else {
            String owner = apps.nameOf(job.appId());
            if (!owner.equals(appName)) {
                throw ApiProblem.notFound("app '" + appName + "' has no job " + jobId);
            }
            if (!job.state().canMoveTo(next)) {
                throw ApiProblem.conflict("state", "job " + jobId + " cannot move from " + job.state().wireName()
                        + " to " + next.wireName());
            }
        }
        job.report(next, report.hostId(), report.reason(), report.exitStatus(), report.restarts(),
                report.backoffUntil(), report.address(), now);
        job.sized(report.memoryMb());
        Job record = job.toRecord(appName);
        events.append(appName, EventTypes.JOB, jobId, record);
        if (next == JobState.CRASHED && OutOfMemory.is(report.reason())) {
            // said plainly, in an event of its own: the kernel killed the job for going over its memory limit
            events.append(appName, EventTypes.JOB_OUT_OF_MEMORY, jobId, record);
        }
        return record;
    }

    /**
     * Records a one-off job (a {@code pier run} or a build) that the controller is about to start on
     * {@code hostId}: {@code pending}, with its event. {@code releaseId} is null for a build.
     */
    @Transactional
    public Job open(String appName, String jobId, UUID releaseId, String processType, String hostId) {
        AppEntity app = apps.live(appName);
        Instant now = Now.instant();
        JobEntity job = jobs.save(new JobEntity(jobId, app.id(), releaseId, processType, now));
        job.report(JobState.PENDING, hostId, null, null, 0, null, null, now);
        Job record = job.toRecord(appName);
        events.append(appName, EventTypes.JOB, jobId, record);
        return record;
    }

    @Transactional(readOnly = true)
    public List<Job> list(String appName, boolean activeOnly) {
        AppEntity app = apps.live(appName);
        List<JobEntity> found = activeOnly ? jobs.findByAppInStates(app.id(), ACTIVE) : jobs.findByApp(app.id());
        return found.stream().map(j -> j.toRecord(app.name())).toList();
    }

    @Transactional(readOnly = true)
    public List<Job> listAll(boolean activeOnly) {
        List<JobEntity> found = activeOnly ? jobs.findInStates(ACTIVE) : jobs.findAll();
        return found.stream().map(j -> j.toRecord(apps.nameOf(j.appId()))).toList();
    }

    @Transactional(readOnly = true)
    public Job get(String appName, String jobId) {
        AppEntity app = apps.live(appName);
        return jobs.findById(jobId).filter(j -> j.appId().equals(app.id())).map(j -> j.toRecord(app.name()))
                .orElseThrow(() -> ApiProblem.notFound("app '" + appName + "' has no job " + Names.printable(jobId)));
    }
}
