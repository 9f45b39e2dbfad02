package org.example.petclinic;

import java.time.LocalDate;
import java.util.List;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

@Controller
public class OwnerController {
    private static final String[] LAST = {"Franklin", "Davis", "Rodriquez", "Black", "Escobito", "Schroeder", "Estaban",
        "McTavish", "Coleman", "Davis"};
    private static final String[] PETS = {"cat", "dog", "lizard", "snake", "bird", "hamster"};
    private final OwnerRepository owners;

    public OwnerController(OwnerRepository owners) {
        this.owners = owners;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void seed() {
        for (int i = 0; i < 200; i++) {
            Owner owner = new Owner("Owner" + i, LAST[i % LAST.length], "Madison");
            owner.addPet(new Pet("Pet" + i, PETS[i % PETS.length], LocalDate.of(2020, 1 + i % 12, 1 + i % 28)));
            owners.save(owner);
        }
    }

    @GetMapping("/")
    public String welcome() {
        return "welcome";
    }

    @GetMapping("/owners")
    public String find(@RequestParam(defaultValue = "") String lastName, Model model) {
        List<Owner> found = owners.findByLastNameStartingWithIgnoreCase(lastName);
        model.addAttribute("owners", found);
        return "owners";
    }

    @GetMapping("/owners/{id}")
    public String show(@PathVariable long id, Model model) {
        model.addAttribute("owner", owners.findById(id).orElseThrow());
        return "owner";
    }

    @GetMapping("/vets.json")
    @ResponseBody
    @Cacheable("vets")
    public List<String> vets() {
        return List.of("James Carter", "Helen Leary", "Linda Douglas", "Rafael Ortega", "Henry Stevens");
    }
}
