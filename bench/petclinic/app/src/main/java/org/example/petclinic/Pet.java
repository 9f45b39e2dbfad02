package org.example.petclinic;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import java.time.LocalDate;

@Entity
public class Pet {
    @Id
    @GeneratedValue
    private Long id;
    private String name;
    private String type;
    private LocalDate birthDate;
    @ManyToOne
    private Owner owner;

    protected Pet() {
    }

    public Pet(String name, String type, LocalDate birthDate) {
        this.name = name;
        this.type = type;
        this.birthDate = birthDate;
    }

    public Long getId() { return id; }
    public String getName() { return name; }
    public String getType() { return type; }
    public LocalDate getBirthDate() { return birthDate; }
    void setOwner(Owner owner) { this.owner = owner; }
}
