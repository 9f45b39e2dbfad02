package dev.pier.platform;

/**
 * The Layer-1 services the platform runs, in start order: each one starts once those before it serve, and they stop
 * the other way round. The order is {@code bin/pier-dev up}'s: the controller finds the blobstore, the scheduler and the
 * router the controller, the git receiver and the add-on providers all three.
 */
enum Service {
    BLOBSTORE("blobstore"),
    CONTROLLER("controller"),
    SCHEDULER("scheduler"),
    ROUTER("router"),
    GIT_RECEIVER("git-receiver"),
    ADDON_POSTGRES("addon-postgres"),
    ADDON_REDIS("addon-redis");

    private final String id;

    Service(String id) {
        this.id = id;
    }

    /** Its name in arguments, logs and {@code bin/pier-dev}: {@code git-receiver}. */
    String id() {
        return id;
    }
}
