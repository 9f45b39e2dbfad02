package dev.pier.controller.formation;

import dev.pier.api.Formation;
import dev.pier.api.FormationUpdate;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class FormationController {
    private final FormationService formations;

    public FormationController(FormationService formations) {
        this.formations = formations;
    }

    @PutMapping("/apps/{app}/formations/{release}")
    public Formation putFormation(@PathVariable String app, @PathVariable String release, @RequestBody FormationUpdate update) {
        return formations.put(app, release, update);
    }

    @GetMapping("/apps/{app}/formations/{release}")
    public Formation getFormation(@PathVariable String app, @PathVariable String release) {
        return formations.get(app, release);
    }

    @GetMapping("/apps/{app}/formations")
    public List<Formation> listFormations(@PathVariable String app) {
        return formations.list(app);
    }

    /** Every formation of every app: the scheduler's desired state. */
    @GetMapping("/formations")
    public List<Formation> listAllFormations() {
        return formations.listAll();
    }
}
