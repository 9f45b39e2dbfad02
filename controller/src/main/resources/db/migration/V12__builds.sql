-- Builds are the controller's: a build of an app's source runs the slug builder as a job, and on success makes
-- the artifact, the release and the deployment itself. The output is kept (NDJSON log lines) for 'pier build log'.
CREATE TABLE builds (
    id            uuid        PRIMARY KEY,
    app_id        uuid        NOT NULL REFERENCES apps (id),
    state         text        NOT NULL,
    source        text        NOT NULL,
    commit_sha    text,
    description   text,
    job_id        text,
    host_id       text,
    slug_path     text        NOT NULL,
    buildpack     text,
    process_types jsonb       NOT NULL DEFAULT '{}',
    error         text,
    artifact_id   uuid        REFERENCES artifacts (id),
    release_id    uuid        REFERENCES releases (id),
    release_version integer,
    deployment_id uuid        REFERENCES deployments (id),
    created_at    timestamptz NOT NULL,
    started_at    timestamptz,
    finished_at   timestamptz
);
CREATE INDEX builds_app ON builds (app_id, created_at DESC);
-- One build at a time per app: a second push waits for the first (the git receiver), the API says 409.
CREATE UNIQUE INDEX builds_one_active ON builds (app_id) WHERE state IN ('pending', 'building');
-- A finished build's output, one NDJSON log line per line (apart from the builds, which are listed often).
CREATE TABLE build_logs (
    build_id uuid PRIMARY KEY REFERENCES builds (id),
    lines    text NOT NULL
);
