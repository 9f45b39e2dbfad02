package com.example.notes;

import java.util.stream.Collectors;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@SpringBootApplication
@RestController
public class NotesApplication {
    private final Notes notes;

    public NotesApplication(Notes notes) {
        this.notes = notes;
    }

    public static void main(String[] args) {
        SpringApplication.run(NotesApplication.class, args);
    }

    @GetMapping("/")
    public String hello() {
        return "notes on JPA\n";
    }

    @PostMapping("/notes")
    @ResponseStatus(HttpStatus.CREATED)
    public String add(@RequestParam String body) {
        Note note = new Note();
        note.body = body;
        notes.save(note);
        return "added " + body + "\n";
    }

    @GetMapping("/notes")
    public String list() {
        return notes.findAll(Sort.by("id")).stream().map(n -> n.body + "\n").collect(Collectors.joining());
    }
}
