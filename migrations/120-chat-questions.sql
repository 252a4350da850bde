-- The run's group chat keeps its messages in the run's event stream; this table holds the one thing the stream cannot
-- answer cheaply: which employees' questions wait for the Director, so each is answered once (row lock) and the
-- asking employee finds its answer.
CREATE TABLE aura.chat_questions (
  id           text PRIMARY KEY,
  run_id       text NOT NULL REFERENCES aura.runs (id),
  task_id      text NOT NULL,
  employee_id  text NOT NULL,
  attempt      integer NOT NULL CHECK (attempt >= 1),
  question     text NOT NULL,
  status       text NOT NULL CHECK (status IN ('open', 'answered')),
  answer       text,
  answered_by  text,
  source       text,
  asked_at     timestamptz NOT NULL,
  answered_at  timestamptz,
  CHECK ((status = 'answered') = (answer IS NOT NULL))
);
CREATE INDEX chat_questions_open_idx ON aura.chat_questions (run_id, asked_at) WHERE status = 'open';
CREATE INDEX chat_questions_task_idx ON aura.chat_questions (task_id, asked_at);

-- A question waiting for the Director asks for attention like an approval: webhooks may be told of it.
DROP TRIGGER events_enqueue_notifications ON aura.events;
CREATE TRIGGER events_enqueue_notifications AFTER INSERT ON aura.events
  FOR EACH ROW
  WHEN (NEW.type IN ('ApprovalRequested', 'TaskDeadLettered', 'RunCompleted', 'RunFailed', 'RunCancelled', 'RunBlocked', 'CostLimitExceeded', 'AnomalyDetected', 'QuestionEscalated'))
  EXECUTE FUNCTION aura.enqueue_notifications();
