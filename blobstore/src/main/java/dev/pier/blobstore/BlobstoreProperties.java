package dev.pier.blobstore;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code pier.blobstore.*}: where blobs are kept ({@code data-dir}, required), the addresses to listen on besides
 * {@code server.address} ({@code extra-bind-addresses}, e.g. the docker0 gateway so jobs in containers can reach
 * it) and the largest blob an upload may bring ({@code max-blob-size}). All are checked at start-up.
 */
@ConfigurationProperties("pier.blobstore")
public record BlobstoreProperties(Path dataDir, @DefaultValue("") List<String> extraBindAddresses,
                                  @DefaultValue("1GB") DataSize maxBlobSize) {
    public BlobstoreProperties {
        if (dataDir == null) {
            throw new IllegalArgumentException("pier.blobstore.data-dir is required");
        }
        if (maxBlobSize == null || maxBlobSize.toBytes() <= 0) {
            throw new IllegalArgumentException("pier.blobstore.max-blob-size must be positive, not " + maxBlobSize);
        }
        extraBindAddresses = extraBindAddresses.stream().filter(a -> !a.isBlank()).map(String::trim).toList();
        for (String address : extraBindAddresses) {
            if (!address.matches("[0-9.]+|[0-9a-fA-F:]+")) {
                throw new IllegalArgumentException("pier.blobstore.extra-bind-addresses: '" + address + "' is not an IP address");
            }
            try {
                InetAddress.getByName(address);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("pier.blobstore.extra-bind-addresses: '" + address + "' is not an IP address");
            }
        }
    }
}
