-- Scheduled jobs: each run claims its slot first, so replicas sharing a database never run the same slot twice.
CREATE TABLE job_runs (
    job          TEXT NOT NULL,
    slot         TEXT NOT NULL,
    started_at   BIGINT NOT NULL,
    finished_at  BIGINT,
    outcome      TEXT,
    PRIMARY KEY (job, slot)
);
