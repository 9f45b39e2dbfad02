package dev.pier.blobstore;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The blobstore: streaming blob storage over HTTP (see docs/blobstore.md). */
@SpringBootApplication
@ConfigurationPropertiesScan
public class BlobstoreApplication {
    public static void main(String[] args) {
        application().run(args);
    }

    /** The blobstore as an application, alone (main) or beside the rest of Layer 1 in one JVM (pier-platform). */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(BlobstoreApplication.class).main(BlobstoreApplication.class);
    }
}
