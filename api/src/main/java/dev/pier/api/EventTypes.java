package dev.pier.api;

import java.util.Set;

/** The object types an {@link Event} can be about. */
public final class EventTypes {
    public static final String APP = "app";
    public static final String APP_DELETION = "app_deletion";
    public static final String APP_RELEASE = "app_release";
    public static final String ARTIFACT = "artifact";
    public static final String RELEASE = "release";
    public static final String FORMATION = "formation";
    public static final String JOB = "job";
    /** A job the kernel killed for going over its memory limit (beside its {@code job} event). */
    public static final String JOB_OUT_OF_MEMORY = "job_out_of_memory";
    public static final String DEPLOYMENT = "deployment";
    public static final String BUILD = "build";
    public static final String ROUTE = "route";
    public static final String ROUTE_DELETION = "route_deletion";
    public static final String KEY = "key";
    public static final String KEY_DELETION = "key_deletion";
    public static final String PROVIDER = "provider";
    /** A resource provisioned (its env left out of the event: it holds secrets). */
    public static final String RESOURCE = "resource";
    public static final String RESOURCE_DELETION = "resource_deletion";
    /** A resource attached to an app. */
    public static final String RESOURCE_APP = "resource_app";
    /** A resource detached from an app. */
    public static final String RESOURCE_APP_DELETION = "resource_app_deletion";

    public static final Set<String> ALL = Set.of(APP, APP_DELETION, APP_RELEASE, ARTIFACT, RELEASE, FORMATION,
            JOB, JOB_OUT_OF_MEMORY, DEPLOYMENT, BUILD, ROUTE, ROUTE_DELETION, KEY, KEY_DELETION, PROVIDER, RESOURCE, RESOURCE_DELETION, RESOURCE_APP,
            RESOURCE_APP_DELETION);

    private EventTypes() {
    }
}
