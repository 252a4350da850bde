-- Team workspaces (docs/tenancy.md): runs, employees, tokens and the cost ledger belong to one; each has quotas the
-- Manager enforces. Every row that existed before belongs to the built-in workspace 'default'.
CREATE TABLE aura.workspaces (
  id                 text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
  name               text NOT NULL,
  -- Quotas; NULL means no limit. Runs at once count the runs not settled (awaiting approval, running, paused, blocked).
  max_active_runs    integer CHECK (max_active_runs >= 0),
  -- Containers at once: the workspace's running tasks (each attempt holds one container), next to the global cap.
  max_containers     integer CHECK (max_containers >= 0),
  -- USD per calendar month (UTC), spent as the cost ledger counts it (every source but 'call' detail rows).
  monthly_budget_usd double precision CHECK (monthly_budget_usd >= 0),
  created_by         text NOT NULL,
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL
);
INSERT INTO aura.workspaces (id, name, created_by, created_at, updated_at) VALUES ('default', 'Default', 'system', now(), now());

ALTER TABLE aura.runs ADD COLUMN workspace_id text NOT NULL DEFAULT 'default' REFERENCES aura.workspaces (id);
CREATE INDEX runs_workspace_idx ON aura.runs (workspace_id, created_at DESC, id DESC);
CREATE INDEX runs_workspace_open_idx ON aura.runs (workspace_id) WHERE status IN ('awaiting_approval', 'running', 'paused', 'blocked');

ALTER TABLE aura.employees ADD COLUMN workspace_id text NOT NULL DEFAULT 'default' REFERENCES aura.workspaces (id);
CREATE INDEX employees_workspace_idx ON aura.employees (workspace_id, hired_at);

ALTER TABLE aura.mcp_tokens ADD COLUMN workspace_id text NOT NULL DEFAULT 'default' REFERENCES aura.workspaces (id);

-- The ledger row takes its run's workspace when it is written, so a workspace's month is one index range.
ALTER TABLE aura.cost_ledger ADD COLUMN workspace_id text NOT NULL DEFAULT 'default';
CREATE INDEX cost_ledger_workspace_idx ON aura.cost_ledger (workspace_id, occurred_at) WHERE source <> 'call';
CREATE FUNCTION aura.cost_ledger_workspace() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.run_id IS NOT NULL THEN
    NEW.workspace_id := coalesce((SELECT r.workspace_id FROM aura.runs r WHERE r.id = NEW.run_id), 'default');
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER cost_ledger_workspace BEFORE INSERT ON aura.cost_ledger FOR EACH ROW EXECUTE FUNCTION aura.cost_ledger_workspace();

-- The claim (010) with each workspace's quotas next to the global cap, under the same advisory lock, so they hold
-- exactly across Managers: a task is claimed only for an employee of its run's workspace, while the workspace runs
-- fewer than max_containers tasks and has spent less than monthly_budget_usd this calendar month (UTC).
CREATE OR REPLACE FUNCTION aura.claim_tasks(p_owner text, p_now timestamptz, p_lease_until timestamptz, p_cap integer,
                                            p_ids text[], p_employees text[], p_limits integer[])
RETURNS TABLE (id text, run_id text, key text, spec jsonb, attempt integer, attempt_floor integer,
               max_attempts integer, timeout_ms integer, employee_id text, resumed boolean, deps jsonb)
LANGUAGE plpgsql SET enable_bitmapscan = off AS $$
#variable_conflict use_column
DECLARE
  v_free integer;
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true);
  PERFORM pg_advisory_xact_lock(7307010010);
  SELECT p_cap - count(*) INTO v_free
    FROM (SELECT 1 FROM aura.tasks WHERE status = 'running' ORDER BY lease_until LIMIT 1000000) running;
  IF v_free <= 0 THEN
    RETURN;
  END IF;
  RETURN QUERY
  WITH wanted AS (
    SELECT w.id, w.employee_id, w.lim, w.ord, wr.workspace_id
      FROM unnest(p_ids, p_employees, p_limits) WITH ORDINALITY AS w (id, employee_id, lim, ord)
      JOIN aura.tasks wt ON wt.id = w.id
      JOIN aura.runs wr ON wr.id = wt.run_id
  ), load AS (
    SELECT r.employee_id, count(*) AS n
      FROM (SELECT t.employee_id FROM aura.tasks t WHERE t.status = 'running' ORDER BY t.lease_until LIMIT 1000000) r
     WHERE r.employee_id = ANY (p_employees) GROUP BY r.employee_id
  ), spaces AS (
    SELECT s.id, s.max_containers, s.monthly_budget_usd,
           CASE WHEN s.max_containers IS NULL THEN 0 ELSE
             (SELECT count(*) FROM (SELECT t.run_id FROM aura.tasks t WHERE t.status = 'running' ORDER BY t.lease_until LIMIT 1000000) rt
                JOIN aura.runs rr ON rr.id = rt.run_id WHERE rr.workspace_id = s.id) END AS running,
           CASE WHEN s.monthly_budget_usd IS NULL THEN 0 ELSE
             (SELECT coalesce(sum(l.cost_usd), 0) FROM aura.cost_ledger l
               WHERE l.workspace_id = s.id AND l.source <> 'call'
                 AND l.occurred_at >= date_trunc('month', p_now AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') END AS spent
      FROM aura.workspaces s WHERE s.id IN (SELECT wanted.workspace_id FROM wanted)
  ), ranked AS (
    SELECT wanted.id, wanted.employee_id, wanted.ord, wanted.workspace_id,
           coalesce(load.n, 0) + row_number() OVER (PARTITION BY wanted.employee_id ORDER BY wanted.ord) <= wanted.lim AS fits
      FROM wanted LEFT JOIN load ON load.employee_id = wanted.employee_id
  ), roomy AS (
    SELECT f.id, f.employee_id, f.ord, f.workspace_id
      FROM (SELECT ranked.*, row_number() OVER (PARTITION BY ranked.workspace_id ORDER BY ranked.ord) AS n FROM ranked WHERE ranked.fits) f
      JOIN spaces s ON s.id = f.workspace_id
     WHERE (s.max_containers IS NULL OR s.running + f.n <= s.max_containers)
       AND (s.monthly_budget_usd IS NULL OR s.spent < s.monthly_budget_usd)
  ), picked AS (
    SELECT t.id, r.employee_id, r.ord, (t.resume_attempt AND t.attempt > 0) AS resume
      FROM roomy r
      JOIN aura.tasks t ON t.id = r.id
      JOIN aura.employees e ON e.id = r.employee_id AND e.status IN ('hired', 'probation', 'active') AND e.workspace_id = r.workspace_id
     WHERE t.status = 'ready' AND t.run_active
     ORDER BY r.ord
     LIMIT v_free
       FOR UPDATE OF t SKIP LOCKED
  ), claimed AS (
    UPDATE aura.tasks t
       SET status = 'running',
           attempt = CASE WHEN picked.resume THEN t.attempt ELSE t.attempt + 1 END,
           lease_expiries = CASE WHEN picked.resume THEN t.lease_expiries ELSE 0 END,
           resume_attempt = false,
           lease_owner = p_owner,
           lease_until = p_lease_until,
           employee_id = picked.employee_id,
           not_before = NULL,
           started_at = p_now,
           updated_at = p_now
      FROM picked
     WHERE t.id = picked.id
    RETURNING t.id, t.run_id, t.key, t.spec, t.attempt, t.attempt_floor, t.max_attempts, t.timeout_ms,
              t.employee_id, picked.resume AS resumed, picked.ord
  )
  SELECT c.id, c.run_id, c.key, c.spec, c.attempt, c.attempt_floor, c.max_attempts, c.timeout_ms, c.employee_id, c.resumed,
         (SELECT coalesce(jsonb_agg(jsonb_build_object('taskId', u.id, 'key', u.key, 'title', u.title,
                                                       'summary', coalesce(u.result ->> 'summary', '')) ORDER BY u.seq), '[]'::jsonb)
            FROM aura.task_deps d JOIN aura.tasks u ON u.id = d.depends_on WHERE d.task_id = c.id)
    FROM claimed c
   ORDER BY c.ord;
END $$;

-- The scheduler's read (010) with the run's workspace, so it chooses employees of that workspace.
CREATE OR REPLACE FUNCTION aura.peek_ready_tasks(p_limit integer, p_exclude text[])
RETURNS jsonb
LANGUAGE plpgsql STABLE SET enable_bitmapscan = off AS $$
BEGIN
  RETURN jsonb_build_object(
    'loads', (SELECT coalesce(jsonb_object_agg(l.employee_id, l.n), '{}'::jsonb)
                FROM (SELECT r.employee_id, count(*) AS n
                        FROM (SELECT t.employee_id FROM aura.tasks t WHERE t.status = 'running' ORDER BY t.lease_until LIMIT 1000000) r
                       WHERE r.employee_id IS NOT NULL GROUP BY r.employee_id) l),
    'tasks', (SELECT coalesce(jsonb_agg(c ORDER BY c.seq), '[]'::jsonb)
                FROM (SELECT t.id, t.run_id, t.key, t.seq, t.spec, t.attempt, t.resume_attempt, t.tried_employees, t.approval_granted,
                             r.title AS run_title, r.budget_usd, r.policy_set, r.cost_usd AS run_cost, r.workspace, r.workspace_id
                        FROM (SELECT * FROM aura.tasks q
                               WHERE q.status = 'ready' AND q.run_active AND NOT (q.id = ANY (p_exclude))
                               ORDER BY q.seq LIMIT p_limit) t
                        JOIN aura.runs r ON r.id = t.run_id) c));
END $$;

-- Webhook subscriptions are not divided into workspaces yet: they belong to 'default' (only its tokens reach the
-- notification tools), so they are told only of events of runs of 'default' (every notifiable event is a run's).
CREATE OR REPLACE FUNCTION aura.enqueue_notifications() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.run_id IS NOT NULL AND coalesce((SELECT r.workspace_id FROM aura.runs r WHERE r.id = NEW.run_id), 'default') <> 'default' THEN
    RETURN NULL;
  END IF;
  INSERT INTO aura.notification_deliveries (subscription_id, event_id, event_type, run_id, status, next_attempt_at, created_at)
  SELECT s.id, NEW.id, NEW.type, NEW.run_id, 'pending', NEW.occurred_at, NEW.occurred_at
    FROM aura.notification_subscriptions s
   WHERE s.removed_at IS NULL AND NEW.type = ANY (s.event_types) AND (s.run_id IS NULL OR s.run_id = NEW.run_id)
  ON CONFLICT (subscription_id, event_id) DO NOTHING;
  RETURN NULL;
END $$;
