-- The queue's hot path, cheaper per task.
--
-- An employee's result is stored under its attempt's key the moment the employee ends, so that a Manager killed
-- while verifying it never has the employee run again. That record guards against the Manager's death, not the
-- server's: it is committed asynchronously (no WAL flush wait per task). A Manager killed right after still finds it
-- (the server has it); a server crash in the moments before the WAL writer flushed it loses the copy, and the resumed
-- attempt then runs the employee again, as it does for an attempt that ended before storing. Outcomes stay durable.
CREATE FUNCTION aura.store_once(p_key text, p_effect text, p_run text, p_task text, p_attempt integer, p_at timestamptz, p_result jsonb)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  v_duplicates integer;
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true);
  INSERT INTO aura.idempotency AS k (key, effect, run_id, task_id, attempt, applied_at, result)
  VALUES (p_key, p_effect, p_run, p_task, p_attempt, p_at, p_result)
  ON CONFLICT (key, effect) DO UPDATE SET duplicates = k.duplicates + 1, last_duplicate_at = p_at
  RETURNING k.duplicates INTO v_duplicates;
  RETURN v_duplicates;
END $$;

-- A transition and its events in one statement (one round trip, one implicit transaction, any lock it takes held
-- only while the statement runs and commits). The Manager chains the events in advance from the heads it last wrote
-- and from what it expects the transition to do; the statement checks both and raises AH409 (nothing done) when
-- either is wrong, and the Manager then does the same work the long way (a transaction that reads what it needs).

-- Moves each head from exactly (from_seq, from_hash) and inserts the events chained on it; returns the events' ids
-- in the order given. Heads are taken in stream order, as every append takes them.
CREATE FUNCTION aura.append_at_heads(e_stream text[], e_seq bigint[], e_type text[], e_run text[], e_task text[], e_actor text[],
                                     e_payload text[], e_at text[], e_prev text[], e_hash text[], e_hmac text[],
                                     h_stream text[], h_from_seq bigint[], h_from_hash text[], h_to_seq bigint[], h_to_hash text[], h_hmac text[])
RETURNS bigint[]
LANGUAGE plpgsql AS $$
DECLARE
  v_head record;
  v_ids bigint[];
BEGIN
  FOR v_head IN SELECT * FROM unnest(h_stream, h_from_seq, h_from_hash, h_to_seq, h_to_hash, h_hmac) AS u (stream, from_seq, from_hash, to_seq, to_hash, hmac) ORDER BY u.stream LOOP
    UPDATE aura.event_heads h SET seq = v_head.to_seq, hash = v_head.to_hash, hmac = v_head.hmac
     WHERE h.stream = v_head.stream AND h.seq = v_head.from_seq AND h.hash = v_head.from_hash;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'the head of % is not where this writer left it', v_head.stream USING ERRCODE = 'AH409';
    END IF;
    PERFORM pg_notify('aura_events', v_head.stream);
  END LOOP;
  WITH u AS (
    SELECT * FROM unnest(e_stream, e_seq, e_type, e_run, e_task, e_actor, e_payload, e_at, e_prev, e_hash, e_hmac)
      WITH ORDINALITY AS u (s, q, t, r, k, a, p, o, ph, h, m, ord)
  ), ins AS (
    INSERT INTO aura.events (stream, seq, type, run_id, task_id, actor, payload, occurred_at, prev_hash, hash, hmac)
    SELECT s, q, t, r, k, a, p::jsonb, o::timestamptz, ph, h, m FROM u ORDER BY s, q
    RETURNING id, stream, seq
  )
  SELECT array_agg(ins.id ORDER BY u.ord) INTO v_ids FROM ins JOIN u ON u.s = ins.stream AND u.q = ins.seq;
  RETURN coalesce(v_ids, '{}');
END $$;

-- Claims the given ready tasks (aura.claim_tasks, unchanged) as predicted: each one, at the attempt and with the resumed
-- flag its events say, for its employee; otherwise raises AH409 and nothing is claimed. Returns the claimed rows.
CREATE FUNCTION aura.claim_as_predicted(p_owner text, p_now timestamptz, p_lease_until timestamptz, p_cap integer,
                                        p_ids text[], p_employees text[], p_limits integer[], p_attempts integer[], p_resumed boolean[])
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_claimed jsonb;
  v_matched integer;
BEGIN
  WITH c AS (
    SELECT c.*, row_number() OVER () AS ord FROM aura.claim_tasks(p_owner, p_now, p_lease_until, p_cap, p_ids, p_employees, p_limits) c
  )
  SELECT coalesce(jsonb_agg(to_jsonb(c) - 'ord' ORDER BY c.ord), '[]'::jsonb),
         count(*) FILTER (WHERE c.id = w.id AND c.attempt = w.attempt AND c.resumed = w.resumed AND c.employee_id = w.employee_id)
    INTO v_claimed, v_matched
    FROM c LEFT JOIN unnest(p_ids, p_attempts, p_resumed, p_employees) WITH ORDINALITY AS w (id, attempt, resumed, employee_id, ord) ON w.ord = c.ord;
  IF v_matched <> cardinality(p_ids) OR jsonb_array_length(v_claimed) <> cardinality(p_ids) THEN
    RAISE EXCEPTION 'the claim went otherwise than its events say' USING ERRCODE = 'AH409';
  END IF;
  RETURN v_claimed;
END $$;

-- A claim and its TaskAssigned events, in one statement.
CREATE FUNCTION aura.claim_and_append(p_owner text, p_now timestamptz, p_lease_until timestamptz, p_cap integer,
                                      p_ids text[], p_employees text[], p_limits integer[], p_attempts integer[], p_resumed boolean[],
                                      e_stream text[], e_seq bigint[], e_type text[], e_run text[], e_task text[], e_actor text[],
                                      e_payload text[], e_at text[], e_prev text[], e_hash text[], e_hmac text[],
                                      h_stream text[], h_from_seq bigint[], h_from_hash text[], h_to_seq bigint[], h_to_hash text[], h_hmac text[])
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_claimed jsonb;
BEGIN
  v_claimed := aura.claim_as_predicted(p_owner, p_now, p_lease_until, p_cap, p_ids, p_employees, p_limits, p_attempts, p_resumed);
  RETURN jsonb_build_object('claimed', v_claimed,
    'ids', to_jsonb(aura.append_at_heads(e_stream, e_seq, e_type, e_run, e_task, e_actor, e_payload, e_at, e_prev, e_hash, e_hmac,
                                         h_stream, h_from_seq, h_from_hash, h_to_seq, h_to_hash, h_hmac)));
END $$;

-- Outcomes (aura.complete_attempts, unchanged), the claims riding along (none: empty arrays) and all their events, in
-- one statement: every outcome applied, no dependent released and no run settled (those events cannot be known in
-- advance: AH410), every claim as predicted; otherwise raises AH409 and nothing is done. The outcome commits durably: the
-- claim's asynchronous commit is turned back off.
CREATE FUNCTION aura.complete_and_append(p_items jsonb, p_now timestamptz,
                                         p_owner text, p_lease_until timestamptz, p_cap integer,
                                         p_ids text[], p_employees text[], p_limits integer[], p_attempts integer[], p_resumed boolean[],
                                         e_stream text[], e_seq bigint[], e_type text[], e_run text[], e_task text[], e_actor text[],
                                         e_payload text[], e_at text[], e_prev text[], e_hash text[], e_hmac text[],
                                         h_stream text[], h_from_seq bigint[], h_from_hash text[], h_to_seq bigint[], h_to_hash text[], h_hmac text[])
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_report jsonb;
  v_claimed jsonb := '[]'::jsonb;
BEGIN
  v_report := aura.complete_attempts(p_items, p_now);
  IF jsonb_array_length(v_report -> 'released') > 0 OR jsonb_array_length(v_report -> 'settled') > 0 THEN
    RAISE EXCEPTION 'the outcomes released dependents or settled a run' USING ERRCODE = 'AH410';
  END IF;
  IF jsonb_array_length(v_report -> 'applied') <> jsonb_array_length(p_items) THEN
    RAISE EXCEPTION 'the outcomes went otherwise than their events say' USING ERRCODE = 'AH409';
  END IF;
  IF cardinality(p_ids) > 0 THEN
    v_claimed := aura.claim_as_predicted(p_owner, p_now, p_lease_until, p_cap, p_ids, p_employees, p_limits, p_attempts, p_resumed);
    PERFORM set_config('synchronous_commit', 'on', true);
  END IF;
  RETURN jsonb_build_object('report', v_report, 'claimed', v_claimed,
    'ids', to_jsonb(aura.append_at_heads(e_stream, e_seq, e_type, e_run, e_task, e_actor, e_payload, e_at, e_prev, e_hash, e_hmac,
                                         h_stream, h_from_seq, h_from_hash, h_to_seq, h_to_hash, h_hmac)));
END $$;
