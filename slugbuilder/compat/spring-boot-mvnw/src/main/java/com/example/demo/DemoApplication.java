package com.example.demo;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@SpringBootApplication
@RestController
public class DemoApplication {

    public static void main(String[] args) {
        SpringApplication.run(DemoApplication.class, args);
    }

    @GetMapping("/")
    public String hello() {
        Runtime runtime = Runtime.getRuntime();
        return "hello from Spring Boot on Java " + Runtime.version().feature() + " (max heap "
                + runtime.maxMemory() / 1048576 + " MB)\n";
    }
}
