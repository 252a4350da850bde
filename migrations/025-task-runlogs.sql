-- The runlog of each task attempt: every command an employee's container ran (and every model round and file
-- write), with its output, exit code and duration. The same text is kept in $AURA_HOME/snapshots/<task>/runlog.txt.
-- Output columns are text: NUL bytes are replaced before insert (PostgreSQL text cannot hold them).
CREATE TABLE aura.task_runlog (
  id          bigserial   PRIMARY KEY,
  run_id      text        NOT NULL,
  task_id     text        NOT NULL,
  attempt     integer     NOT NULL CHECK (attempt >= 1),
  seq         integer     NOT NULL CHECK (seq >= 1),
  employee_id text        NOT NULL,
  kind        text        NOT NULL CHECK (kind IN ('model', 'write', 'delete', 'command', 'check', 'agent', 'note')),
  command     text,
  exit_code   integer,
  duration_ms integer     CHECK (duration_ms >= 0),
  reason      text,
  stdout      text,
  stderr      text,
  truncated   boolean     NOT NULL DEFAULT false,
  detail      jsonb,
  at          timestamptz NOT NULL,
  UNIQUE (task_id, attempt, seq)
);
CREATE INDEX task_runlog_run_idx ON aura.task_runlog (run_id, task_id);
