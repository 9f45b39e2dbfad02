package dev.pier.controller.artifact;

import dev.pier.api.Artifact;
import dev.pier.api.NewArtifact;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class ArtifactController {
    private final ArtifactService artifacts;

    public ArtifactController(ArtifactService artifacts) {
        this.artifacts = artifacts;
    }

    @PostMapping("/artifacts")
    @ResponseStatus(HttpStatus.CREATED)
    public Artifact createArtifact(@RequestBody NewArtifact request) {
        return artifacts.create(request);
    }

    @GetMapping("/artifacts/{id}")
    public Artifact getArtifact(@PathVariable String id) {
        return artifacts.get(id);
    }
}
