-- Pier controller schema. PostgreSQL only.

CREATE TABLE apps (
    id             uuid        PRIMARY KEY,
    name           text        NOT NULL,
    meta           jsonb       NOT NULL DEFAULT '{}',
    strategy       text        NOT NULL DEFAULT 'one-by-one',
    deploy_timeout integer     NOT NULL DEFAULT 120,
    release_id     uuid,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    deleted_at     timestamptz
);
-- A deleted app keeps its row (its events and jobs refer to it); its name is free again.
CREATE UNIQUE INDEX apps_name_live ON apps (name) WHERE deleted_at IS NULL;

CREATE TABLE artifacts (
    id         uuid        PRIMARY KEY,
    type       text        NOT NULL,
    uri        text        NOT NULL,
    sha256     text,
    size       bigint,
    meta       jsonb       NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL
);

CREATE TABLE releases (
    id          uuid        PRIMARY KEY,
    app_id      uuid        NOT NULL REFERENCES apps (id),
    version     integer     NOT NULL,
    artifact_id uuid        REFERENCES artifacts (id),
    env         jsonb       NOT NULL DEFAULT '{}',
    processes   jsonb       NOT NULL DEFAULT '{}',
    meta        jsonb       NOT NULL DEFAULT '{}',
    description text,
    created_at  timestamptz NOT NULL,
    CONSTRAINT releases_app_version UNIQUE (app_id, version)
);
ALTER TABLE apps ADD CONSTRAINT apps_release FOREIGN KEY (release_id) REFERENCES releases (id);

CREATE TABLE formations (
    app_id     uuid        NOT NULL REFERENCES apps (id),
    release_id uuid        NOT NULL REFERENCES releases (id),
    processes  jsonb       NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (app_id, release_id)
);

CREATE TABLE jobs (
    id            text        PRIMARY KEY,
    app_id        uuid        NOT NULL REFERENCES apps (id),
    release_id    uuid        NOT NULL REFERENCES releases (id),
    process_type  text        NOT NULL,
    host_id       text,
    state         text        NOT NULL,
    reason        text,
    exit_status   integer,
    restarts      integer     NOT NULL DEFAULT 0,
    backoff_until timestamptz,
    address       text,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);
CREATE INDEX jobs_app ON jobs (app_id, created_at DESC);
CREATE INDEX jobs_active ON jobs (state) WHERE state IN ('pending', 'starting', 'up', 'stopping');

CREATE TABLE deployments (
    id             uuid        PRIMARY KEY,
    app_id         uuid        NOT NULL REFERENCES apps (id),
    old_release_id uuid        REFERENCES releases (id),
    new_release_id uuid        NOT NULL REFERENCES releases (id),
    strategy       text        NOT NULL,
    status         text        NOT NULL,
    processes      jsonb       NOT NULL DEFAULT '{}',
    error          text,
    created_at     timestamptz NOT NULL,
    finished_at    timestamptz
);
CREATE INDEX deployments_app ON deployments (app_id, created_at DESC);
-- One deployment at a time per app (Flynn's isolate_deploys).
CREATE UNIQUE INDEX deployments_one_active ON deployments (app_id) WHERE status IN ('pending', 'running');

CREATE TABLE routes (
    id         uuid        PRIMARY KEY,
    app_id     uuid        NOT NULL REFERENCES apps (id),
    domain     text        NOT NULL,
    service    text        NOT NULL,
    tls_cert   text,
    tls_key    text,
    created_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX routes_domain ON routes (domain);
CREATE INDEX routes_app ON routes (app_id);

CREATE TABLE ssh_keys (
    fingerprint text        PRIMARY KEY,
    type        text        NOT NULL,
    key         text        NOT NULL,
    comment     text,
    created_at  timestamptz NOT NULL
);

-- The append-only event log. Writers take a transaction-level advisory lock before inserting, so ids
-- become visible in order and a reader resuming "after id N" can never miss a later-committed lower id.
CREATE TABLE events (
    id          bigserial   PRIMARY KEY,
    app         text,
    object_type text        NOT NULL,
    object_id   text,
    data        jsonb       NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE INDEX events_app ON events (app, id);

CREATE FUNCTION notify_event() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('pier_events', NEW.id::text);
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER events_notify AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION notify_event();
