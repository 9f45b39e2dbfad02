package dev.pier.controller.app;

import dev.pier.controller.support.Input;
import dev.pier.web.ApiProblem;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Finds apps by the name in a request path: a bad name is a 400, an unknown one a 404. */
@Component
public class Apps {
    private final AppRepository apps;

    public Apps(AppRepository apps) {
        this.apps = apps;
    }

    public AppEntity live(String name) {
        Input.appName("app", name);
        return apps.findLive(name).orElseThrow(() -> notFound(name));
    }

    /** The live app, locked for the rest of the transaction. */
    public AppEntity locked(String name) {
        Input.appName("app", name);
        return apps.lockLive(name).orElseThrow(() -> notFound(name));
    }

    public String nameOf(UUID id) {
        return apps.nameOf(id).orElseThrow(() -> new IllegalStateException("no app with id " + id));
    }

    public static ApiProblem notFound(String name) {
        return ApiProblem.notFound("app '" + name + "' not found");
    }
}
