-- The employee registry: who can be assigned work, with what profile, in what lifecycle state.
CREATE TABLE aura.employees (
  id         text PRIMARY KEY,
  name       text NOT NULL UNIQUE,
  provider   text NOT NULL,
  model      text NOT NULL,
  skills     text[] NOT NULL DEFAULT '{}',
  profile    jsonb NOT NULL,
  status     text NOT NULL DEFAULT 'hired' CHECK (status IN ('hired', 'probation', 'active', 'suspended', 'terminated')),
  tier       text NOT NULL DEFAULT 'probation',
  hired_at   timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX employees_status_idx ON aura.employees (status);
