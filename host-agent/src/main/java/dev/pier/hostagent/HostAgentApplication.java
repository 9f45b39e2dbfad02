package dev.pier.hostagent;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The host agent: runs this host's jobs as containers and, when elected, keeps the cluster view. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class HostAgentApplication {

    /** Its properties file is pier-host-agent.properties: it shares a JVM with discoverd's on a machine. */
    public static final String CONFIG_NAME = "pier-host-agent";

    public static void main(String[] args) {
        application().run(args);
    }

    /** The host agent as an application, alone (main) or beside discoverd in one JVM (pier-machine). */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(HostAgentApplication.class).main(HostAgentApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME);
    }
}
