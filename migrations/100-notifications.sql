-- Notifications: webhook subscriptions to event types, and the durable queue of their deliveries.
-- A trigger on aura.events adds an event's deliveries in the transaction that appends it, so they commit with the event
-- or not at all (no cursor to fall behind, no event committed out of id order to miss). Any Manager claims due
-- deliveries FOR UPDATE SKIP LOCKED under a lease, so one killed mid-send is sent again once its lease runs out.
CREATE TABLE aura.notification_subscriptions (
  id text PRIMARY KEY,
  name text NOT NULL,
  format text NOT NULL CHECK (format IN ('json', 'slack')),
  -- Exactly one of url (a plain address) and url_ref (env:/file:, for addresses that are themselves secrets, like
  -- a Slack incoming webhook's).
  url text,
  url_ref text,
  secret_ref text,
  event_types text[] NOT NULL CHECK (cardinality(event_types) > 0),
  run_id text,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL,
  removed_at timestamptz,
  CHECK ((url IS NULL) <> (url_ref IS NULL))
);

CREATE TABLE aura.notification_deliveries (
  id bigserial PRIMARY KEY,
  subscription_id text NOT NULL REFERENCES aura.notification_subscriptions (id),
  event_id bigint NOT NULL,
  event_type text NOT NULL,
  run_id text,
  status text NOT NULL CHECK (status IN ('pending', 'sending', 'delivered', 'dead_letter', 'cancelled')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  lease_owner text,
  lease_until timestamptz,
  last_status integer,
  last_error text,
  created_at timestamptz NOT NULL,
  delivered_at timestamptz,
  UNIQUE (subscription_id, event_id)
);

-- The claim's scan: due pending deliveries, and sending ones whose lease ran out.
CREATE INDEX notification_deliveries_due ON aura.notification_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX notification_deliveries_sending ON aura.notification_deliveries (lease_until) WHERE status = 'sending';
CREATE INDEX notification_deliveries_dead ON aura.notification_deliveries (id) WHERE status = 'dead_letter';

-- Which events may be notified is the product's list (core/notifications/subscription-schema.ts); the WHEN clause keeps
-- every other append free of any work here.
CREATE FUNCTION aura.enqueue_notifications() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO aura.notification_deliveries (subscription_id, event_id, event_type, run_id, status, next_attempt_at, created_at)
  SELECT s.id, NEW.id, NEW.type, NEW.run_id, 'pending', NEW.occurred_at, NEW.occurred_at
    FROM aura.notification_subscriptions s
   WHERE s.removed_at IS NULL AND NEW.type = ANY (s.event_types) AND (s.run_id IS NULL OR s.run_id = NEW.run_id)
  ON CONFLICT (subscription_id, event_id) DO NOTHING;
  RETURN NULL;
END $$;

CREATE TRIGGER events_enqueue_notifications AFTER INSERT ON aura.events
  FOR EACH ROW
  WHEN (NEW.type IN ('ApprovalRequested', 'TaskDeadLettered', 'RunCompleted', 'RunFailed', 'RunCancelled', 'RunBlocked', 'CostLimitExceeded', 'AnomalyDetected'))
  EXECUTE FUNCTION aura.enqueue_notifications();
