package dev.pier.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A resource a provider made (a database, say): the provider's own id for it ({@code externalId}), the config vars
 * an app needs to use it ({@code env}, secrets among them), and the apps it is attached to (by name, sorted).
 * Attaching sets {@code env} on an app as a new release; detaching unsets it the same way.
 *
 * @param releases only in the answer to a request that attached or detached it: the release each app got by it
 *                 and the deployment that moves the app to it, in the order of the apps
 */
public record Resource(
        @JsonProperty(required = true) UUID id,
        @JsonProperty(required = true) String provider,
        @JsonProperty(required = true) String externalId,
        @JsonProperty(required = true) Map<String, String> env,
        @JsonProperty(required = true) List<String> apps,
        @JsonProperty(required = true) Instant createdAt,
        List<AppReleaseChange> releases) {

    /** The same resource without {@link #releases}. */
    public Resource withReleases(List<AppReleaseChange> changes) {
        return new Resource(id, provider, externalId, env, apps, createdAt, changes);
    }

    /**
     * What attaching or detaching did to one app: the new release and the deployment that moves the app to it.
     * {@code change} is absent when a detach found none of the resource's config vars left to unset; its
     * {@code deployment} is absent when the app's config vars were already as asked (the release is the current one).
     */
    public record AppReleaseChange(@JsonProperty(required = true) String app, ReleaseChange change) {
    }
}
