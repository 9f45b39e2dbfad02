-- A health check's "timeout_seconds" used to mean how long a new job may take to pass its first check; that is
-- now "grace_seconds", and "timeout_seconds" is one check's time limit. Releases are immutable records, so the
-- stored ones are rewritten to keep meaning what they meant.
UPDATE releases r
SET processes = (
    SELECT jsonb_object_agg(p.key,
        CASE WHEN (p.value -> 'health_check') ? 'timeout_seconds'
             THEN jsonb_set(p.value, '{health_check}',
                  ((p.value -> 'health_check') - 'timeout_seconds')
                  || jsonb_build_object('grace_seconds', (p.value -> 'health_check') -> 'timeout_seconds'))
             ELSE p.value END)
    FROM jsonb_each(r.processes) p)
WHERE r.processes::text LIKE '%timeout_seconds%';
