package dev.pier.hostagent.job;

import dev.pier.api.host.HostVolume;
import dev.pier.web.ApiProblem;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * This host's volumes: {@code GET /volumes} (each with the job using it), {@code GET /volumes/{name}}, and
 * {@code DELETE /volumes/{name}}, which deletes the volume and its data (409 while a job that has not ended mounts
 * it). Volumes are made by the jobs that mount them.
 */
@RestController
public class VolumeController {
    private final JobSupervisor supervisor;

    public VolumeController(JobSupervisor supervisor) {
        this.supervisor = supervisor;
    }

    @GetMapping("/volumes")
    public List<HostVolume> list() {
        return supervisor.volumes();
    }

    @GetMapping("/volumes/{name}")
    public HostVolume get(@PathVariable String name) {
        return supervisor.volume(name).orElseThrow(() -> ApiProblem.notFound("no volume " + name + " on host "
                + supervisor.hostId()));
    }

    @DeleteMapping("/volumes/{name}")
    public ResponseEntity<Void> delete(@PathVariable String name) {
        supervisor.deleteVolume(name);
        return ResponseEntity.noContent().build();
    }
}
