-- Add-ons (issue #18), in Flynn's shape: providers are services that make resources (a database, a cache) through
-- their own HTTP API; a resource is what one of them made (the provider's id for it and the config vars an app
-- uses it by); attaching a resource to an app sets those config vars on the app as a new release.
CREATE TABLE providers (
    id          uuid        PRIMARY KEY,
    name        text        NOT NULL UNIQUE,
    url         text        NOT NULL,
    description text,
    created_at  timestamptz NOT NULL
);
CREATE TABLE resources (
    id          uuid        PRIMARY KEY,
    provider_id uuid        NOT NULL REFERENCES providers (id),
    external_id text        NOT NULL,
    env         jsonb       NOT NULL,
    -- 'provisioned', or 'deprovisioning' from the moment a deprovision has detached it until the provider has
    -- dropped it (no attaching then; a deprovision that failed at the provider is retried by deprovisioning again)
    state       text        NOT NULL DEFAULT 'provisioned',
    created_at  timestamptz NOT NULL,
    UNIQUE (provider_id, external_id)
);
CREATE INDEX resources_provider ON resources (provider_id);
-- Which apps a resource is attached to. Deprovisioning deletes the resource only once it has no row here;
-- deleting an app deletes its rows (the resource stays, detached).
CREATE TABLE resource_apps (
    resource_id uuid        NOT NULL REFERENCES resources (id),
    app_id      uuid        NOT NULL REFERENCES apps (id),
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (resource_id, app_id)
);
CREATE INDEX resource_apps_app ON resource_apps (app_id);
