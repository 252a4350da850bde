-- Integrations: connector configurations per workspace (a credential reference, never the secret), a token bucket per
-- connector shared by every Manager on this database, and every call to an external system: reads as they ran, writes
-- held for the Director's approval and then run once from a durable queue any Manager claims under a lease.
CREATE TABLE aura.integration_connectors (
  id text PRIMARY KEY,
  -- Team workspaces are added in parallel; every connector belongs to one ('default' until then). No FK on purpose.
  workspace_id text NOT NULL DEFAULT 'default',
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('jira', 'slack', 'github')),
  base_url text NOT NULL,
  -- env:NAME or file:/path, resolved at each call; the value is never stored.
  credential_ref text NOT NULL,
  -- Connector-specific settings that are not secret (a Jira project, a GitHub owner/repo and push remote).
  settings jsonb NOT NULL DEFAULT '{}'::jsonb,
  rate_per_second double precision NOT NULL CHECK (rate_per_second > 0),
  burst integer NOT NULL CHECK (burst >= 1),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (workspace_id, name)
);

-- One row per connector: tokens left at refilled_at. Taking a token is one UPDATE, so Managers sharing the database
-- share the limit.
CREATE TABLE aura.integration_rate_buckets (
  connector_id text PRIMARY KEY REFERENCES aura.integration_connectors (id),
  tokens double precision NOT NULL,
  refilled_at timestamptz NOT NULL
);

CREATE TABLE aura.integration_calls (
  id text PRIMARY KEY,
  connector_id text NOT NULL REFERENCES aura.integration_connectors (id),
  workspace_id text NOT NULL DEFAULT 'default',
  method text NOT NULL,
  write boolean NOT NULL,
  params jsonb NOT NULL,
  -- Same connector, same key: the same logical call (a Slack message is never posted twice).
  idempotency_key text NOT NULL,
  run_id text,
  status text NOT NULL CHECK (status IN ('pending_approval', 'approved', 'running', 'succeeded', 'failed', 'rejected')),
  reason text NOT NULL,
  requested_by text NOT NULL,
  requested_at timestamptz NOT NULL,
  decided_by text,
  decided_at timestamptz,
  note text,
  attempts integer NOT NULL DEFAULT 0,
  lease_owner text,
  lease_until timestamptz,
  result jsonb,
  error text,
  finished_at timestamptz,
  UNIQUE (connector_id, idempotency_key)
);

CREATE INDEX integration_calls_due ON aura.integration_calls (decided_at) WHERE status = 'approved';
CREATE INDEX integration_calls_running ON aura.integration_calls (lease_until) WHERE status = 'running';
CREATE INDEX integration_calls_pending ON aura.integration_calls (requested_at) WHERE status = 'pending_approval';
