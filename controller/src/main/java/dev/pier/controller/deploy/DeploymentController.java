package dev.pier.controller.deploy;

import dev.pier.api.Deployment;
import dev.pier.api.DeploymentUpdate;
import dev.pier.api.NewDeployment;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
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
    public List<Deployment> listDeployments(@PathVariable String app) {
        return deploys.list(app);
    }

    /** Pending and running deployments of every app, oldest first: the deployment runner's work. */
    @GetMapping("/deployments")
    public List<Deployment> listActiveDeployments(@RequestParam(defaultValue = "true") boolean active) {
        if (!active) {
            throw dev.pier.web.ApiProblem.badRequest("active", "only active=true is supported; list an app's "
                    + "deployments with GET /apps/{app}/deployments");
        }
        return deploys.listActive();
    }

    /** The deployment runner's move of a deployment along its status table. */
    @PutMapping("/deployments/{id}")
    public Deployment updateDeployment(@PathVariable String id, @RequestBody DeploymentUpdate update) {
        return deploys.update(id, update);
    }

    @GetMapping("/deployments/{id}")
    public Deployment getDeployment(@PathVariable String id) {
        return deploys.get(id);
    }
}
