package dev.pier.controller.app;

import dev.pier.api.App;
import dev.pier.api.AppUpdate;
import dev.pier.api.NewApp;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class AppController {
    private final AppService apps;

    public AppController(AppService apps) {
        this.apps = apps;
    }

    @PostMapping("/apps")
    @ResponseStatus(HttpStatus.CREATED)
    public App createApp(@RequestBody(required = false) NewApp request) {
        return apps.create(request);
    }

    @GetMapping("/apps")
    public List<App> listApps() {
        return apps.list();
    }

    @GetMapping("/apps/{app}")
    public App getApp(@PathVariable String app) {
        return apps.get(app);
    }

    @PatchMapping("/apps/{app}")
    public App updateApp(@PathVariable String app, @RequestBody AppUpdate update) {
        return apps.update(app, update);
    }

    @DeleteMapping("/apps/{app}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void deleteApp(@PathVariable String app) {
        apps.delete(app);
    }
}
