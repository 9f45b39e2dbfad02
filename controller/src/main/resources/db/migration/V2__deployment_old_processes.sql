-- The old release's counts when a deployment started: what a failed deployment restores.
ALTER TABLE deployments ADD COLUMN old_processes jsonb NOT NULL DEFAULT '{}';
ALTER TABLE deployments ADD COLUMN started_at timestamptz;
