-- Governance: versioned policy sets, signed content-addressed evidence, verification layers, the facts the
-- Accountant scores from, the cost ledger and budget caps, and run archives. Approval rows live in the
-- Manager's aura.approvals; governance adds previews and evidence to them.

-- Every version of every policy set is kept; the highest version of a name is the one in force.
CREATE TABLE aura.policy_versions (
  name        text        NOT NULL,
  version     integer     NOT NULL CHECK (version >= 1),
  source      text        NOT NULL,
  source_hash text        NOT NULL,
  origin      text        NOT NULL,
  created_by  text        NOT NULL,
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (name, version)
);

-- Evidence: hash = sha256(canonical JSON of body), hmac = HMAC-SHA256(audit key, hash).
CREATE TABLE aura.evidence (
  hash        text        PRIMARY KEY,
  hmac        text        NOT NULL,
  kind        text        NOT NULL,
  run_id      text,
  task_id     text,
  attempt     integer,
  employee_id text,
  body        jsonb       NOT NULL,
  created_at  timestamptz NOT NULL
);
CREATE INDEX evidence_task_idx ON aura.evidence (run_id, task_id, attempt);
CREATE INDEX evidence_time_idx ON aura.evidence (created_at);

-- One row per verification layer of an attempt (schema, acceptance, review).
CREATE TABLE aura.verifications (
  run_id         text        NOT NULL,
  task_id        text        NOT NULL,
  attempt        integer     NOT NULL,
  layer          text        NOT NULL,
  passed         boolean     NOT NULL,
  infrastructure boolean     NOT NULL DEFAULT false,
  reason         text,
  score          double precision,
  evidence_hash  text,
  created_at     timestamptz NOT NULL,
  PRIMARY KEY (run_id, task_id, attempt, layer)
);
CREATE INDEX verifications_time_idx ON aura.verifications (created_at);

-- What the Accountant scores: one assessed attempt each (a projection of AttemptAssessed events).
CREATE TABLE aura.attempt_facts (
  run_id          text             NOT NULL,
  task_id         text             NOT NULL,
  attempt         integer          NOT NULL,
  employee_id     text             NOT NULL,
  kind            text             NOT NULL,
  outcome         text             NOT NULL CHECK (outcome IN ('verified', 'failed', 'error', 'infrastructure')),
  duration_ms     bigint           NOT NULL,
  timeout_ms      bigint           NOT NULL,
  cost_usd        double precision NOT NULL,
  scope_violation boolean          NOT NULL,
  violations      integer          NOT NULL,
  review_score    double precision,
  output_hash     text,
  claims_mismatch boolean          NOT NULL,
  forbidden       boolean          NOT NULL,
  evidence_hash   text,
  occurred_at     timestamptz      NOT NULL,
  PRIMARY KEY (run_id, task_id, attempt)
);
CREATE INDEX attempt_facts_employee_idx ON aura.attempt_facts (employee_id, occurred_at);
CREATE INDEX attempt_facts_time_idx ON aura.attempt_facts (occurred_at);

-- The Director's ratings of delivered work (0-10), part of manager satisfaction.
CREATE TABLE aura.director_ratings (
  id          bigserial        PRIMARY KEY,
  employee_id text             NOT NULL,
  run_id      text,
  task_id     text,
  rating      double precision NOT NULL CHECK (rating >= 0 AND rating <= 10),
  note        text,
  rated_by    text             NOT NULL,
  occurred_at timestamptz      NOT NULL
);
CREATE INDEX director_ratings_employee_idx ON aura.director_ratings (employee_id, occurred_at);

-- The cost ledger. 'call' rows detail an attempt's calls; totals add every other source.
CREATE TABLE aura.cost_ledger (
  id          bigserial        PRIMARY KEY,
  entry_key   text             NOT NULL UNIQUE,
  source      text             NOT NULL CHECK (source IN ('attempt', 'call', 'review', 'planner')),
  run_id      text,
  task_id     text,
  attempt     integer,
  employee_id text,
  model       text,
  tokens_in   bigint           NOT NULL DEFAULT 0,
  tokens_out  bigint           NOT NULL DEFAULT 0,
  cost_usd    double precision NOT NULL CHECK (cost_usd >= 0),
  occurred_at timestamptz      NOT NULL
);
CREATE INDEX cost_ledger_run_idx ON aura.cost_ledger (run_id, task_id);
CREATE INDEX cost_ledger_employee_idx ON aura.cost_ledger (employee_id);
CREATE INDEX cost_ledger_time_idx ON aura.cost_ledger (occurred_at);

-- Spending caps beyond a run's own budget: 'employee:<id>' and 'task' (every task).
CREATE TABLE aura.budget_caps (
  scope     text             PRIMARY KEY,
  limit_usd double precision NOT NULL CHECK (limit_usd >= 0),
  set_by    text             NOT NULL,
  set_at    timestamptz      NOT NULL
);

-- A finished run's plan, results, evidence references and scores, kept for viewing later.
CREATE TABLE aura.run_archives (
  run_id      text        PRIMARY KEY,
  title       text        NOT NULL,
  outcome     text        NOT NULL,
  hash        text        NOT NULL,
  hmac        text        NOT NULL,
  body        jsonb       NOT NULL,
  archived_at timestamptz NOT NULL
);
CREATE INDEX run_archives_time_idx ON aura.run_archives (archived_at);
