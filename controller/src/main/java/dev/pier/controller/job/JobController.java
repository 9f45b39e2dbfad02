package dev.pier.controller.job;

import dev.pier.api.Job;
import dev.pier.api.JobReport;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class JobController {
    private final JobService jobs;

    public JobController(JobService jobs) {
        this.jobs = jobs;
    }

    /** The scheduler's report of a job: creates it, or moves it along the job state table. */
    @PutMapping("/apps/{app}/jobs/{id}")
    public Job reportJob(@PathVariable String app, @PathVariable String id, @RequestBody JobReport report) {
        return jobs.report(app, id, report);
    }

    @GetMapping("/apps/{app}/jobs")
    public List<Job> listJobs(@PathVariable String app, @RequestParam(defaultValue = "false") boolean active) {
        return jobs.list(app, active);
    }

    @GetMapping("/apps/{app}/jobs/{id}")
    public Job getJob(@PathVariable String app, @PathVariable String id) {
        return jobs.get(app, id);
    }

    @GetMapping("/jobs")
    public List<Job> listAllJobs(@RequestParam(defaultValue = "false") boolean active) {
        return jobs.listAll(active);
    }
}
