-- A run whose dead letters hold back tasks that still wait is 'blocked': nothing more can run until the Director
-- retries or skips a dead letter (or cancels the run), and it is not settled. 'partial' now means nothing waits any
-- more: every task is done, skipped or dead-lettered with nothing depending on it.
ALTER TABLE aura.runs DROP CONSTRAINT runs_status_check;
ALTER TABLE aura.runs ADD CONSTRAINT runs_status_check
  CHECK (status IN ('awaiting_approval', 'running', 'paused', 'blocked', 'succeeded', 'partial', 'failed', 'cancelled'));

CREATE OR REPLACE FUNCTION aura.settle_runs(p_runs text[], p_now timestamptz)
RETURNS TABLE (run_id text, status text, cost_usd double precision, succeeded integer, skipped integer, dead_lettered integer)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_run record;
  v_next text;
BEGIN
  FOR v_run IN SELECT r.id, r.status FROM aura.runs r WHERE r.id = ANY (p_runs) AND r.status IN ('running', 'paused', 'blocked', 'partial') ORDER BY r.id LOOP
    v_next := NULL;
    IF NOT EXISTS (SELECT 1 FROM aura.tasks t WHERE t.run_id = v_run.id AND t.in_plan AND t.status NOT IN ('succeeded', 'skipped')) THEN
      v_next := 'succeeded';
    ELSIF v_run.status IN ('running', 'blocked')
      AND NOT EXISTS (SELECT 1 FROM aura.tasks t WHERE t.run_id = v_run.id AND t.in_plan AND t.status IN ('ready', 'running', 'retry_wait', 'awaiting_approval'))
      AND EXISTS (SELECT 1 FROM aura.tasks t WHERE t.run_id = v_run.id AND t.in_plan AND t.status = 'dead_letter') THEN
      v_next := CASE WHEN EXISTS (SELECT 1 FROM aura.tasks t WHERE t.run_id = v_run.id AND t.in_plan AND t.status = 'pending') THEN 'blocked' ELSE 'partial' END;
    END IF;
    CONTINUE WHEN v_next IS NULL OR v_next = v_run.status;
    RETURN QUERY
    WITH counts AS (
      SELECT count(*) FILTER (WHERE t.status = 'succeeded')::integer AS succeeded,
             count(*) FILTER (WHERE t.status = 'skipped')::integer AS skipped,
             count(*) FILTER (WHERE t.status = 'dead_letter')::integer AS dead,
             count(*) FILTER (WHERE t.status = 'pending')::integer AS waiting
        FROM aura.tasks t WHERE t.run_id = v_run.id AND t.in_plan
    )
    UPDATE aura.runs r
       SET status = v_next,
           status_reason = CASE
             WHEN v_next = 'partial' THEN c.dead || ' task(s) in the dead-letter queue'
             WHEN v_next = 'blocked' THEN c.dead || ' task(s) in the dead-letter queue hold back ' || c.waiting || ' waiting task(s): retry or skip them, or cancel the run'
             ELSE NULL END,
           finished_at = CASE WHEN v_next = 'blocked' THEN NULL ELSE p_now END,
           updated_at = p_now
      FROM counts c
     WHERE r.id = v_run.id
    RETURNING r.id, r.status, r.cost_usd, c.succeeded, c.skipped, c.dead;
  END LOOP;
END $$;
