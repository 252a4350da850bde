-- The employee channel: assignments handed to external agents over MCP (get_assignment), and what they submitted.
-- One row per attempt, keyed by its idempotency key, so an attempt resumed after a crash finds its own row.
CREATE TABLE aura.channel_assignments (
  idempotency_key text PRIMARY KEY,
  employee_id     text NOT NULL REFERENCES aura.employees (id),
  run_id          text NOT NULL,
  task_id         text NOT NULL,
  attempt         integer NOT NULL CHECK (attempt >= 1),
  assignment      jsonb NOT NULL,
  status          text NOT NULL CHECK (status IN ('assigned', 'working', 'submitted', 'cancelled')),
  result          jsonb,
  deadline        timestamptz NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX channel_assignments_open_idx ON aura.channel_assignments (employee_id, created_at) WHERE status IN ('assigned', 'working');
CREATE INDEX channel_assignments_task_idx ON aura.channel_assignments (task_id);
