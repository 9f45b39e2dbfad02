package dev.pier.controller.deploy;

import dev.pier.api.Deployment;
import dev.pier.api.NewDeployment;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class DeploymentController {
    private final DeployService deploys;

    public DeploymentController(DeployService deploys) {
        this.deploys = deploys;
    }

    @PostMapping("/apps/{app}/deploy")
    @ResponseStatus(HttpStatus.CREATED)
    public Deployment deploy(@PathVariable String app, @RequestBody NewDeployment request) {
        return deploys.create(app, request);
    }

    @GetMapping("/apps/{app}/deployments")
    public List<Deployment> list(@PathVariable String app) {
        return deploys.list(app);
    }

    @GetMapping("/deployments/{id}")
    public Deployment get(@PathVariable String id) {
        return deploys.get(id);
    }
}
