-- The Manager's queue: runs, their task DAG, approvals and the idempotency record, plus the hot-path
-- queue operations (claim, complete, release, settle) as functions so each is one round trip.
--
-- Lock order, everywhere: run rows (sorted by id) → task rows → event heads. Claims are the one
-- exception: they lock only ready task rows (SKIP LOCKED) and never a run row, so they cannot take part
-- in a cycle.

CREATE TABLE aura.runs (
  id            text PRIMARY KEY,
  title         text NOT NULL,
  prd           text NOT NULL,
  prd_hash      text NOT NULL,
  budget_usd    double precision,
  policy_set    text,
  workspace     text,
  status        text NOT NULL CHECK (status IN ('awaiting_approval', 'running', 'paused', 'succeeded', 'partial', 'failed', 'cancelled')),
  status_reason text,
  plan          jsonb NOT NULL,
  plan_hash     text NOT NULL,
  plan_version  integer NOT NULL DEFAULT 1,
  planner       text NOT NULL,
  cost_usd      double precision NOT NULL DEFAULT 0,
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  finished_at   timestamptz
);
CREATE INDEX runs_created_idx ON aura.runs (created_at DESC, id DESC);
CREATE INDEX runs_status_idx ON aura.runs (status);

CREATE TABLE aura.tasks (
  id               text PRIMARY KEY,
  run_id           text NOT NULL REFERENCES aura.runs (id),
  key              text NOT NULL,
  seq              bigserial NOT NULL,
  title            text NOT NULL,
  kind             text NOT NULL,
  spec             jsonb NOT NULL,
  status           text NOT NULL CHECK (status IN ('pending', 'ready', 'running', 'retry_wait', 'awaiting_approval', 'succeeded', 'skipped', 'dead_letter', 'cancelled')),
  -- Dependencies not yet succeeded or skipped; the task becomes ready when it reaches 0.
  deps_remaining   integer NOT NULL DEFAULT 0 CHECK (deps_remaining >= 0),
  -- The last attempt number handed out (monotonic: it names the idempotency key).
  attempt          integer NOT NULL DEFAULT 0,
  -- attempt at the last Director retry: max_attempts counts attempts above it.
  attempt_floor    integer NOT NULL DEFAULT 0,
  max_attempts     integer NOT NULL CHECK (max_attempts >= 1),
  timeout_ms       integer NOT NULL,
  -- Set when a lease expired: the next claim resumes the same attempt (same idempotency key).
  resume_attempt   boolean NOT NULL DEFAULT false,
  lease_expiries   integer NOT NULL DEFAULT 0,
  lease_owner      text,
  lease_until      timestamptz,
  employee_id      text,
  -- Employees whose attempts failed: reassignment prefers someone else.
  tried_employees  text[] NOT NULL DEFAULT '{}',
  not_before       timestamptz,
  approval_granted boolean NOT NULL DEFAULT false,
  last_error       text,
  result           jsonb,
  cost_usd         double precision NOT NULL DEFAULT 0,
  -- false once a replan removed the task; it then no longer counts towards the run's completion.
  in_plan          boolean NOT NULL DEFAULT true,
  -- Whether its run is running (paused or held runs' tasks are not claimable); kept by a trigger on runs, so
  -- claimable tasks come straight off one partial index whatever the statistics say.
  run_active       boolean NOT NULL DEFAULT true,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  started_at       timestamptz,
  finished_at      timestamptz,
  UNIQUE (run_id, key)
);
CREATE INDEX tasks_claimable_idx ON aura.tasks (seq) WHERE status = 'ready' AND run_active;
-- A queue table churns: vacuum and re-analyse it early rather than at the default 20% of dead rows.
ALTER TABLE aura.tasks SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02);
-- Running tasks are counted (the cap, each employee's load) through this index by plain index scans (the
-- functions below turn bitmap scans off): an index scan marks the entries of tasks that left 'running' dead
-- as it passes, so the next count skips them instead of visiting every heap page a busy queue has touched
-- since the last vacuum.
CREATE INDEX tasks_running_idx ON aura.tasks (lease_until) WHERE status = 'running';
CREATE INDEX tasks_retry_idx ON aura.tasks (not_before) WHERE status = 'retry_wait';
CREATE INDEX tasks_run_idx ON aura.tasks (run_id, seq);
CREATE INDEX tasks_status_idx ON aura.tasks (status, seq);
-- Tasks that keep their run open: settling a run probes this instead of counting the whole run.
CREATE INDEX tasks_open_idx ON aura.tasks (run_id, status) WHERE in_plan AND status NOT IN ('succeeded', 'skipped');

CREATE FUNCTION aura.sync_run_active() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE aura.tasks SET run_active = (NEW.status = 'running')
   WHERE run_id = NEW.id AND run_active IS DISTINCT FROM (NEW.status = 'running');
  RETURN NULL;
END $$;
CREATE TRIGGER runs_sync_run_active AFTER UPDATE OF status ON aura.runs
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION aura.sync_run_active();

CREATE TABLE aura.task_deps (
  task_id    text NOT NULL REFERENCES aura.tasks (id),
  depends_on text NOT NULL REFERENCES aura.tasks (id),
  PRIMARY KEY (task_id, depends_on)
);
CREATE INDEX task_deps_reverse_idx ON aura.task_deps (depends_on);

-- Every question put to the Director: an approval-kind task, a task a policy held, a plan or a replan.
CREATE TABLE aura.approvals (
  id           text PRIMARY KEY,
  run_id       text NOT NULL REFERENCES aura.runs (id),
  task_id      text REFERENCES aura.tasks (id),
  subject      text NOT NULL CHECK (subject IN ('task', 'plan', 'replan')),
  reason       text NOT NULL,
  rule         text,
  status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'cancelled')),
  -- replan: the proposed plan and its diff, applied when approved.
  proposal     jsonb,
  requested_at timestamptz NOT NULL,
  decided_by   text,
  decided_at   timestamptz,
  note         text
);
CREATE INDEX approvals_pending_idx ON aura.approvals (requested_at) WHERE status = 'pending';
CREATE INDEX approvals_run_idx ON aura.approvals (run_id);
CREATE UNIQUE INDEX approvals_one_pending_per_task ON aura.approvals (task_id) WHERE status = 'pending' AND task_id IS NOT NULL;

-- Effects keyed by `{run}_{task}_{attempt}`: the first application is recorded, every repeat is counted
-- and refused, so an effect done twice is recognised and applied once.
CREATE TABLE aura.idempotency (
  key               text NOT NULL,
  effect            text NOT NULL,
  run_id            text,
  task_id           text,
  attempt           integer,
  result            jsonb,
  applied_at        timestamptz NOT NULL,
  duplicates        integer NOT NULL DEFAULT 0,
  last_duplicate_at timestamptz,
  PRIMARY KEY (key, effect)
);
CREATE INDEX idempotency_task_idx ON aura.idempotency (task_id);

-- Claims the given ready tasks for their chosen employees, up to the global cap of running tasks and each
-- employee's own limit. One claimer at a time (a transaction-level advisory lock) so both limits hold
-- exactly across processes; the counts are read after the lock, in a fresh snapshot.
-- The claim commits asynchronously (no WAL flush wait while the lock is held): a claim a server crash loses
-- is harmless, since the task is simply ready again with the same attempt and idempotency key, and an
-- outcome recorded under a lost lease is refused.
CREATE FUNCTION aura.claim_tasks(p_owner text, p_now timestamptz, p_lease_until timestamptz, p_cap integer,
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
    SELECT w.id, w.employee_id, w.lim, w.ord
      FROM unnest(p_ids, p_employees, p_limits) WITH ORDINALITY AS w (id, employee_id, lim, ord)
  ), load AS (
    SELECT r.employee_id, count(*) AS n
      FROM (SELECT t.employee_id FROM aura.tasks t WHERE t.status = 'running' ORDER BY t.lease_until LIMIT 1000000) r
     WHERE r.employee_id = ANY (p_employees) GROUP BY r.employee_id
  ), ranked AS (
    SELECT wanted.id, wanted.employee_id, wanted.ord,
           coalesce(load.n, 0) + row_number() OVER (PARTITION BY wanted.employee_id ORDER BY wanted.ord) <= wanted.lim AS fits
      FROM wanted LEFT JOIN load ON load.employee_id = wanted.employee_id
  ), picked AS (
    SELECT t.id, r.employee_id, r.ord, (t.resume_attempt AND t.attempt > 0) AS resume
      FROM ranked r
      JOIN aura.tasks t ON t.id = r.id
      JOIN aura.employees e ON e.id = r.employee_id AND e.status IN ('hired', 'probation', 'active')
     WHERE r.fits AND t.status = 'ready' AND t.run_active
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

-- The next claimable tasks (ready, run running) in queue order with their run's facts, and the running load per
-- employee: what the scheduler chooses employees from before it claims. A function so its plan is cached.
CREATE FUNCTION aura.peek_ready_tasks(p_limit integer, p_exclude text[])
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
                             r.title AS run_title, r.budget_usd, r.policy_set, r.cost_usd AS run_cost, r.workspace
                        FROM (SELECT * FROM aura.tasks q
                               WHERE q.status = 'ready' AND q.run_active AND NOT (q.id = ANY (p_exclude))
                               ORDER BY q.seq LIMIT p_limit) t
                        JOIN aura.runs r ON r.id = t.run_id) c));
END $$;

-- Dependents of tasks that just finished (succeeded or skipped) count one dependency fewer; those that
-- reach 0 become ready, or awaiting_approval (with an approval row) when they are approval tasks.
-- Callers hold the run row locks, so concurrent releases of one run are serialised.
CREATE FUNCTION aura.release_dependents(p_done text[], p_now timestamptz)
RETURNS TABLE (id text, run_id text, key text, status text, approval_id text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH d AS (
    SELECT td.task_id, count(*)::integer AS n FROM aura.task_deps td WHERE td.depends_on = ANY (p_done) GROUP BY td.task_id
  ), released AS (
    UPDATE aura.tasks t
       SET deps_remaining = greatest(t.deps_remaining - d.n, 0),
           status = CASE WHEN t.status = 'pending' AND t.deps_remaining - d.n <= 0
                         THEN CASE WHEN t.kind = 'approval' THEN 'awaiting_approval' ELSE 'ready' END
                         ELSE t.status END,
           updated_at = p_now
      FROM d
     WHERE t.id = d.task_id AND t.status = 'pending' AND t.in_plan
    RETURNING t.id, t.run_id, t.key, t.status
  ), asked AS (
    INSERT INTO aura.approvals (id, run_id, task_id, subject, reason, requested_at)
    SELECT 'apr_' || replace(gen_random_uuid()::text, '-', ''), r.run_id, r.id, 'task', 'an approval task of the plan', p_now
      FROM released r WHERE r.status = 'awaiting_approval'
    RETURNING approvals.id AS approval_id, approvals.task_id
  )
  SELECT r.id, r.run_id, r.key, r.status, a.approval_id
    FROM released r LEFT JOIN asked a ON a.task_id = r.id
   WHERE r.status IN ('ready', 'awaiting_approval');
  IF FOUND THEN
    PERFORM pg_notify('aura_queue', '');
  END IF;
END $$;

-- Decides, for runs whose row the caller holds, whether they are finished: every in-plan task succeeded or
-- skipped → succeeded; nothing left that can move and some dead letters → partial. Two index probes per run
-- decide it; the totals are counted only for a run that settles. Returns only runs whose status changed.
CREATE FUNCTION aura.settle_runs(p_runs text[], p_now timestamptz)
RETURNS TABLE (run_id text, status text, cost_usd double precision, succeeded integer, skipped integer, dead_lettered integer)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_run record;
  v_next text;
BEGIN
  FOR v_run IN SELECT r.id, r.status FROM aura.runs r WHERE r.id = ANY (p_runs) AND r.status IN ('running', 'paused', 'partial') ORDER BY r.id LOOP
    v_next := NULL;
    IF NOT EXISTS (SELECT 1 FROM aura.tasks t WHERE t.run_id = v_run.id AND t.in_plan AND t.status NOT IN ('succeeded', 'skipped')) THEN
      v_next := 'succeeded';
    ELSIF v_run.status = 'running'
      AND NOT EXISTS (SELECT 1 FROM aura.tasks t WHERE t.run_id = v_run.id AND t.in_plan AND t.status IN ('ready', 'running', 'retry_wait', 'awaiting_approval'))
      AND EXISTS (SELECT 1 FROM aura.tasks t WHERE t.run_id = v_run.id AND t.in_plan AND t.status = 'dead_letter') THEN
      v_next := 'partial';
    END IF;
    CONTINUE WHEN v_next IS NULL OR v_next = v_run.status;
    RETURN QUERY
    WITH counts AS (
      SELECT count(*) FILTER (WHERE t.status = 'succeeded')::integer AS succeeded,
             count(*) FILTER (WHERE t.status = 'skipped')::integer AS skipped,
             count(*) FILTER (WHERE t.status = 'dead_letter')::integer AS dead
        FROM aura.tasks t WHERE t.run_id = v_run.id AND t.in_plan
    )
    UPDATE aura.runs r
       SET status = v_next,
           status_reason = CASE WHEN v_next = 'partial' THEN c.dead || ' task(s) in the dead-letter queue' ELSE NULL END,
           finished_at = p_now,
           updated_at = p_now
      FROM counts c
     WHERE r.id = v_run.id
    RETURNING r.id, r.status, r.cost_usd, c.succeeded, c.skipped, c.dead;
  END LOOP;
END $$;

-- Records the outcome of attempts whose lease the caller still holds. p_items: [{id, owner, attempt,
-- status ('succeeded'|'retry_wait'|'dead_letter'), notBefore, error, result, costUsd, key}]. Returns
-- what was applied, the dependents released and the runs that finished, as one JSON document.
CREATE FUNCTION aura.complete_attempts(p_items jsonb, p_now timestamptz)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_runs text[];
  v_applied jsonb;
  v_done text[];
  v_released jsonb;
  v_settled jsonb;
BEGIN
  SELECT array_agg(DISTINCT t.run_id ORDER BY t.run_id) INTO v_runs
    FROM aura.tasks t WHERE t.id IN (SELECT x ->> 'id' FROM jsonb_array_elements(p_items) x);
  PERFORM 1 FROM aura.runs r WHERE r.id = ANY (v_runs) ORDER BY r.id FOR UPDATE;

  WITH i AS (
    SELECT * FROM jsonb_to_recordset(p_items)
      AS x (id text, owner text, attempt integer, status text, "notBefore" timestamptz, error text, result jsonb, "costUsd" double precision, key text)
  ), applied AS (
    UPDATE aura.tasks t
       SET status = i.status,
           lease_owner = NULL,
           lease_until = NULL,
           lease_expiries = 0,
           not_before = i."notBefore",
           last_error = i.error,
           result = coalesce(i.result, t.result),
           cost_usd = t.cost_usd + coalesce(i."costUsd", 0),
           tried_employees = CASE WHEN i.status = 'succeeded' OR t.employee_id = ANY (t.tried_employees) THEN t.tried_employees
                                  ELSE array_append(t.tried_employees, t.employee_id) END,
           finished_at = CASE WHEN i.status IN ('succeeded', 'dead_letter') THEN p_now ELSE NULL END,
           updated_at = p_now
      FROM i
     WHERE t.id = i.id AND t.status = 'running' AND t.lease_owner = i.owner AND t.attempt = i.attempt
    RETURNING t.id, t.run_id, t.status, t.attempt, t.employee_id, i.key, coalesce(i."costUsd", 0) AS cost
  ), recorded AS (
    -- Data-modifying CTEs run to completion whether or not the final SELECT reads them.
    INSERT INTO aura.idempotency AS k (key, effect, run_id, task_id, attempt, applied_at)
    SELECT a.key, 'outcome', a.run_id, a.id, a.attempt, p_now FROM applied a
    ON CONFLICT (key, effect) DO UPDATE SET duplicates = k.duplicates + 1, last_duplicate_at = p_now
    RETURNING k.task_id
  ), costs AS (
    UPDATE aura.runs r SET cost_usd = r.cost_usd + s.cost, updated_at = p_now
      FROM (SELECT a.run_id, sum(a.cost) AS cost FROM applied a GROUP BY a.run_id) s
     WHERE r.id = s.run_id
    RETURNING r.id
  )
  SELECT coalesce(jsonb_agg(jsonb_build_object('id', a.id, 'runId', a.run_id, 'status', a.status, 'attempt', a.attempt,
                                                'employeeId', a.employee_id)), '[]'::jsonb)
    INTO v_applied
    FROM applied a;

  SELECT array_agg(x ->> 'id') INTO v_done FROM jsonb_array_elements(v_applied) x WHERE x ->> 'status' = 'succeeded';
  SELECT coalesce(jsonb_agg(to_jsonb(r)), '[]'::jsonb) INTO v_released FROM aura.release_dependents(coalesce(v_done, '{}'), p_now) r;
  SELECT coalesce(jsonb_agg(to_jsonb(s)), '[]'::jsonb) INTO v_settled FROM aura.settle_runs(v_runs, p_now) s;
  -- A finished attempt frees a slot: wake every scheduler, whichever process holds the next task.
  PERFORM pg_notify('aura_queue', '');
  RETURN jsonb_build_object('applied', v_applied, 'released', v_released, 'settled', v_settled);
END $$;
