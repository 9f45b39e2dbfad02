-- One-off jobs: a build runs before its release exists, so a job may have no release.
ALTER TABLE jobs ALTER COLUMN release_id DROP NOT NULL;
