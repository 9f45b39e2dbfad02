package dev.pier.controller.build;

import dev.pier.api.Build;
import dev.pier.api.NewBuild;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /apps/{app}/builds}: starts the slug builder on the source tarball at {@code source}; the answer
 * names the build's job, whose output ({@code GET /apps/{app}/jobs/{id}/log?follow=true}) ends with the
 * builder's {@code PIER-RESULT} line.
 */
@RestController
public class BuildController {
    private final Builds builds;

    public BuildController(Builds builds) {
        this.builds = builds;
    }

    @PostMapping("/apps/{app}/builds")
    @ResponseStatus(HttpStatus.CREATED)
    @ApiResponse(responseCode = "503", description = "no host has room, or discoverd or the host leader cannot be "
            + "reached")
    public Build build(@PathVariable String app, @RequestBody NewBuild request) {
        return builds.start(app, request);
    }
}
