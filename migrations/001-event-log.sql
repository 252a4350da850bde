-- The append-only, hash-chained event log: one chain per stream (a run's id, or 'system').
CREATE TABLE aura.events (
  id          bigserial PRIMARY KEY,
  stream      text        NOT NULL,
  seq         bigint      NOT NULL CHECK (seq >= 1),
  type        text        NOT NULL,
  run_id      text,
  task_id     text,
  actor       text        NOT NULL,
  payload     jsonb       NOT NULL,
  occurred_at timestamptz NOT NULL,
  prev_hash   text        NOT NULL,
  hash        text        NOT NULL,
  hmac        text        NOT NULL,
  UNIQUE (stream, seq)
);
CREATE INDEX events_run_idx ON aura.events (run_id, seq) WHERE run_id IS NOT NULL;
CREATE INDEX events_task_idx ON aura.events (task_id) WHERE task_id IS NOT NULL;
CREATE INDEX events_type_time_idx ON aura.events (type, occurred_at);
CREATE INDEX events_time_idx ON aura.events (occurred_at);

-- The head of each chain: the lock appenders take, and the witness that the tail was not cut off.
CREATE TABLE aura.event_heads (
  stream text   PRIMARY KEY,
  seq    bigint NOT NULL,
  hash   text   NOT NULL
);

-- Where each chain starts: after a retention cleanup, the hash the oldest kept event links back to.
CREATE TABLE aura.event_anchors (
  stream     text   PRIMARY KEY,
  after_seq  bigint NOT NULL,
  prev_hash  text   NOT NULL
);

-- The database itself refuses UPDATE and DELETE of events; only the Director's retention cleanup,
-- which sets aura.retention_cleanup for its own transaction, may delete expired rows.
CREATE FUNCTION aura.refuse_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('aura.retention_cleanup', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'aura.events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON aura.events
  FOR EACH ROW EXECUTE FUNCTION aura.refuse_event_change();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON aura.events
  FOR EACH STATEMENT EXECUTE FUNCTION aura.refuse_event_change();

-- A head may only move forward.
CREATE FUNCTION aura.heads_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR NEW.seq < OLD.seq THEN
    RAISE EXCEPTION 'aura.event_heads only moves forward: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER event_heads_forward_only BEFORE UPDATE OR DELETE ON aura.event_heads
  FOR EACH ROW EXECUTE FUNCTION aura.heads_forward_only();
