package dev.pier.gitreceiver;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The git receiver: an SSH server that turns {@code git push pier main} into a build, a release and a deploy. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GitReceiverApplication {
    public static void main(String[] args) {
        application().run(args);
    }

    /** The git receiver as an application, alone (main) or beside the rest of Layer 1 in one JVM (pier-platform). */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(GitReceiverApplication.class).main(GitReceiverApplication.class);
    }
}
