-- Replayable runs: a replay is a run linked to the one it replays; call records belong to the run and the attempt
-- (task key and attempt number, ids that a replay of the same plan has too) that made them; a settled replay's
-- comparison with its original is kept as its report.
ALTER TABLE aura.runs ADD COLUMN replay_of text REFERENCES aura.runs (id);
-- The original's event seq a replay stops at (null: the whole run).
ALTER TABLE aura.runs ADD COLUMN replay_until integer CHECK (replay_until IS NULL OR replay_until >= 1);
CREATE INDEX runs_replay_of_idx ON aura.runs (replay_of) WHERE replay_of IS NOT NULL;

-- Records made outside any attempt (the planner, older recordings) keep run_id = '' and session = ''.
ALTER TABLE aura.call_records ADD COLUMN run_id text NOT NULL DEFAULT '';
ALTER TABLE aura.call_records ADD COLUMN session text NOT NULL DEFAULT '';
ALTER TABLE aura.call_records DROP CONSTRAINT call_records_pkey;
ALTER TABLE aura.call_records ADD PRIMARY KEY (run_id, session, key, seq);

CREATE TABLE aura.replay_reports (
  run_id          text        PRIMARY KEY REFERENCES aura.runs (id),
  original_run_id text        NOT NULL REFERENCES aura.runs (id),
  diverged        boolean     NOT NULL,
  report          jsonb       NOT NULL,
  created_at      timestamptz NOT NULL
);
