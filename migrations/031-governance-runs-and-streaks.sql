-- What governance knows of each run (its budget and policy set, recorded at plan time) and each
-- employee's current streaks of verified and failed attempts (the HR rules' counters).
CREATE TABLE aura.run_governance (
  run_id     text             PRIMARY KEY,
  title      text             NOT NULL,
  budget_usd double precision CHECK (budget_usd IS NULL OR budget_usd >= 0),
  policy_set text,
  updated_at timestamptz      NOT NULL
);

CREATE TABLE aura.hr_streaks (
  employee_id text        PRIMARY KEY,
  failures    integer     NOT NULL DEFAULT 0,
  successes   integer     NOT NULL DEFAULT 0,
  updated_at  timestamptz NOT NULL
);
