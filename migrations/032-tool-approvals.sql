-- Commands a policy held for the Director's approval (a tool call cannot wait inside a running attempt: the
-- attempt ends, and an approved command is allowed when the task runs again).
CREATE TABLE aura.tool_approvals (
  id            text        PRIMARY KEY,
  run_id        text        NOT NULL,
  task_id       text        NOT NULL,
  attempt       integer     NOT NULL,
  command       text        NOT NULL,
  rule          text        NOT NULL,
  reason        text        NOT NULL,
  evidence_hash text,
  status        text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  requested_at  timestamptz NOT NULL,
  decided_by    text,
  decided_at    timestamptz,
  note          text
);
CREATE UNIQUE INDEX tool_approvals_pending_idx ON aura.tool_approvals (task_id, command) WHERE status = 'pending';
CREATE INDEX tool_approvals_task_idx ON aura.tool_approvals (task_id, status);
CREATE INDEX tool_approvals_time_idx ON aura.tool_approvals (requested_at);
