package dev.pier.controller.volume;

import dev.pier.api.Names;
import dev.pier.api.Volume;
import dev.pier.controller.cluster.ClusterHosts;
import dev.pier.web.ApiProblem;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.List;
import dev.pier.api.host.VolumeNames;
import dev.pier.api.http.PierApiException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /volumes}: every volume of the cluster (the host leader's view), with its host, the app and process
 * type it was made for, its size hint and the job using it; {@code ?app=} for one app's. {@code DELETE
 * /volumes/{name}} deletes one and its data, through the agent of its host (409 while a job uses it or while its
 * host is lost).
 */
@RestController
public class VolumeController {
    private final ClusterHosts hosts;

    public VolumeController(ClusterHosts hosts) {
        this.hosts = hosts;
    }

    @GetMapping("/volumes")
    @ApiResponse(responseCode = "200", description = "the cluster's volumes, by app and name")
    @ApiResponse(responseCode = "503", description = "discoverd is not configured, or the host leader cannot be reached")
    public List<Volume> volumes(@RequestParam(required = false) String app) {
        if (app != null) {
            Names.problemWithApp(app).ifPresent(problem -> {
                throw ApiProblem.badRequest("app", problem);
            });
        }
        return ClusterVolumes.of(hosts.view("volumes"), app);
    }

    @DeleteMapping("/volumes/{name}")
    @ApiResponse(responseCode = "204", description = "the volume and its data are deleted")
    @ApiResponse(responseCode = "503", description = "discoverd is not configured, or the host leader or the volume's "
            + "host cannot be reached")
    public ResponseEntity<Void> delete(@PathVariable String name) {
        VolumeNames.problemWithName(name).ifPresent(problem -> {
            throw ApiProblem.badRequest("name", problem);
        });
        List<Volume> found = ClusterVolumes.of(hosts.view("volumes"), null).stream()
                .filter(v -> v.name().equals(name)).toList();
        if (found.isEmpty()) {
            throw ApiProblem.notFound("no volume " + name + " in the cluster");
        }
        if (found.size() > 1) {
            throw ApiProblem.conflict("name", "volume " + name + " is on several hosts ("
                    + String.join(", ", found.stream().map(Volume::hostId).toList()) + "); delete it on each host's agent");
        }
        Volume volume = found.get(0);
        if (volume.hostLost()) {
            throw ApiProblem.conflict("name", "volume " + name + " is on host " + volume.hostId()
                    + ", which is lost: it can be deleted once the host is back");
        }
        String url = hosts.view("volumes").hosts().stream().filter(h -> h.id().equals(volume.hostId()))
                .map(dev.pier.api.host.ClusterView.Host::url).findFirst().orElseThrow(() ->
                        ApiProblem.unavailable("host " + volume.hostId() + " left the cluster view"));
        try {
            hosts.client(url).deleteVolume(name);
        } catch (PierApiException e) {
            if (e.isConflict()) {
                throw ApiProblem.conflict("name", e.getMessage());
            }
            if (e.isNotFound()) {
                throw ApiProblem.notFound("no volume " + name + " on host " + volume.hostId());
            }
            throw ApiProblem.unavailable("cannot delete volume " + name + " on host " + volume.hostId() + ": "
                    + e.getMessage());
        }
        return ResponseEntity.noContent().build();
    }
}
