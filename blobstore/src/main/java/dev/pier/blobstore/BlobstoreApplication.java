package dev.pier.blobstore;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The blobstore: streaming blob storage over HTTP (see docs/blobstore.md). */
@SpringBootApplication
@ConfigurationPropertiesScan
public class BlobstoreApplication {
    public static void main(String[] args) {
        SpringApplication.run(BlobstoreApplication.class, args);
    }
}
