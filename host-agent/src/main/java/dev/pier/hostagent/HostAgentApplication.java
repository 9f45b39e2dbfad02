package dev.pier.hostagent;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The host agent: runs this host's jobs as containers and, when elected, keeps the cluster view. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class HostAgentApplication {

    public static void main(String[] args) {
        SpringApplication.run(HostAgentApplication.class, args);
    }
}
