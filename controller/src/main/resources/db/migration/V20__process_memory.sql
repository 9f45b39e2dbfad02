-- Memory limits per process type (MB), kept with the formation ({} = the scheduler's default for every type),
-- and each job's limit as the scheduler reports it.
ALTER TABLE formations ADD COLUMN memory_mb jsonb NOT NULL DEFAULT '{}'::jsonb;
ALTER TABLE jobs ADD COLUMN memory_mb integer;
