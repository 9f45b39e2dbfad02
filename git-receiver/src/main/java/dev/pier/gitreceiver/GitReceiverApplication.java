package dev.pier.gitreceiver;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The git receiver: an SSH server that turns {@code git push pier main} into a build, a release and a deploy. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GitReceiverApplication {
    public static void main(String[] args) {
        SpringApplication.run(GitReceiverApplication.class, args);
    }
}
