-- Recorded model and tool calls: what was asked (canonical JSON) and what came back, so a replay can serve it.
-- key = sha256(canonical JSON of {provider, model, params}); seq numbers repeats of the same call in one session
-- (a retried prompt may get a different answer, and a faithful replay gives each repeat its own).
-- Text columns, not jsonb: jsonb refuses U+0000, which a prompt or a command's output may contain.
CREATE TABLE aura.call_records (
  key          text        NOT NULL CHECK (key ~ '^[0-9a-f]{64}$'),
  seq          integer     NOT NULL CHECK (seq >= 1),
  kind         text        NOT NULL CHECK (kind IN ('model', 'tool')),
  provider     text        NOT NULL,
  model        text        NOT NULL,
  params_json  text        NOT NULL,
  outcome_json text        NOT NULL,
  recorded_at  timestamptz NOT NULL,
  replayed     integer     NOT NULL DEFAULT 0,
  PRIMARY KEY (key, seq)
);
CREATE INDEX call_records_time_idx ON aura.call_records (recorded_at);
