-- Bearer tokens of the MCP server: only a SHA-256 of each token is kept; the token is shown once at creation.
CREATE TABLE aura.mcp_tokens (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  role        text NOT NULL CHECK (role IN ('director', 'operator', 'viewer', 'employee')),
  employee_id text REFERENCES aura.employees (id),
  hash        text NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz,
  revoked_at  timestamptz,
  -- An employee token is bound to exactly one employee; no other role is.
  CHECK ((role = 'employee') = (employee_id IS NOT NULL))
);
CREATE INDEX mcp_tokens_active_idx ON aura.mcp_tokens (role) WHERE revoked_at IS NULL;
