CREATE OR REPLACE FUNCTION blocking_circuit_breakers()
RETURNS SETOF circuit_breaker_events
LANGUAGE sql
STABLE PARALLEL SAFE
AS $$
  -- The one definition of a breaker that blocks trading, shared by
  -- is_trading_allowed() and v_risk_summary so the two cannot disagree: status
  -- active, and a cooldown that has not passed, or none. A simple SQL set
  -- function, so the planner inlines it into each caller, where it reads only
  -- the live part of circuit_breaker_events_active_cooldown_idx. now() is the
  -- transaction start, so a long transaction errs towards blocking.
  SELECT *
    FROM circuit_breaker_events b
   WHERE b.status = 'active'
     AND (b.cooldown_expires_at IS NULL OR b.cooldown_expires_at > now());
$$;
--> statement-breakpoint
COMMENT ON FUNCTION blocking_circuit_breakers() IS 'The circuit breakers that block trading now: status active with cooldown_expires_at null (manual resolution) or in the future. Account-wide (symbol null) and per-symbol alike; is_trading_allowed() and v_risk_summary both read it.';
--> statement-breakpoint
CREATE OR REPLACE FUNCTION is_trading_allowed(symbol text DEFAULT NULL)
RETURNS TABLE(allowed boolean, reason text, cooldown_expires timestamptz)
LANGUAGE plpgsql
STABLE
AS $$
DECLARE
  kill_switch_reason text;
  blocking_breakers bigint;
  newest_breaker_reason text;
  needs_manual_resolution boolean;
  latest_expiry timestamptz;
BEGIN
  -- Every column is qualified by its table alias: the outputs allowed, reason
  -- and cooldown_expires are also PL/pgSQL variables (the reference's
  -- unqualified "reason" made every call fail as ambiguous).

  -- Served by kill_switch_events_active_idx (partial, status = 'active').
  SELECT k.reason INTO kill_switch_reason
    FROM kill_switch_events k
   WHERE k.status = 'active'
   ORDER BY k.activated_at DESC, k.id DESC
   LIMIT 1;
  IF FOUND THEN
    RETURN QUERY SELECT false, 'Kill switch active: ' || kill_switch_reason, NULL::timestamptz;
    RETURN;
  END IF;

  -- blocking_circuit_breakers() is inlined: only the live part of
  -- circuit_breaker_events_active_cooldown_idx is read, never the stale
  -- 'active' rows past their cooldown.
  SELECT count(*),
         (array_agg(b.reason ORDER BY b.triggered_at DESC, b.id DESC))[1],
         bool_or(b.cooldown_expires_at IS NULL),
         max(b.cooldown_expires_at)
    INTO blocking_breakers, newest_breaker_reason, needs_manual_resolution, latest_expiry
    FROM blocking_circuit_breakers() b
   WHERE b.symbol IS NULL OR b.symbol = is_trading_allowed.symbol;
  IF blocking_breakers > 0 THEN
    RETURN QUERY SELECT false, newest_breaker_reason,
      CASE WHEN needs_manual_resolution THEN NULL ELSE latest_expiry END;
    RETURN;
  END IF;

  RETURN QUERY SELECT true, 'Trading allowed'::text, NULL::timestamptz;
EXCEPTION WHEN OTHERS THEN
  -- Never raise; fail closed. (Cancellation and timeouts still propagate.)
  RETURN QUERY SELECT false, format('Trading guard failed (SQLSTATE %s): %s', SQLSTATE, SQLERRM), NULL::timestamptz;
END;
$$;
--> statement-breakpoint
COMMENT ON FUNCTION is_trading_allowed(text) IS 'The guard the bot calls before every order; one row (allowed, reason, cooldown_expires). Blocked while a kill switch is active (reason ''Kill switch active: <its reason>'', cooldown_expires null), else while an active circuit breaker whose cooldown has not passed (or that has none) covers the call: an account-wide breaker (symbol null) blocks every call, a symbol breaker only calls for that symbol. reason = the newest blocking breaker''s reason; cooldown_expires = the latest expiry among blocking breakers, null if one needs manual resolution. Otherwise (true, ''Trading allowed'', null). Never raises: an internal error returns (false, ''Trading guard failed ...'', null). Reads only active rows through partial indexes.';
--> statement-breakpoint
CREATE OR REPLACE VIEW v_risk_summary AS
WITH today AS (
  SELECT (now() AT TIME ZONE 'UTC')::date AS day
)
SELECT
  -- The breakers is_trading_allowed() blocks on, by the same definition.
  (SELECT count(*)::integer FROM blocking_circuit_breakers()) AS active_circuit_breakers,
  (SELECT count(*)::integer
     FROM kill_switch_events
    WHERE status = 'active') AS active_kill_switches,
  today_row.total_pnl AS today_pnl,
  today_row.balance_end AS current_balance,
  last_breaker.triggered_at AS last_circuit_breaker,
  last_breaker.reason AS last_circuit_breaker_reason,
  last_kill.activated_at AS last_kill_switch,
  last_kill.reason AS last_kill_switch_reason,
  week.avg_win_rate_7d,
  week.total_pnl_7d
FROM today
LEFT JOIN daily_pnl today_row ON today_row.date = today.day
LEFT JOIN LATERAL (
  SELECT b.triggered_at, b.reason
    FROM circuit_breaker_events b
   ORDER BY b.triggered_at DESC, b.id DESC
   LIMIT 1
) last_breaker ON true
LEFT JOIN LATERAL (
  SELECT k.activated_at, k.reason
    FROM kill_switch_events k
   ORDER BY k.activated_at DESC, k.id DESC
   LIMIT 1
) last_kill ON true
CROSS JOIN LATERAL (
  SELECT avg(p.win_rate) AS avg_win_rate_7d,
         sum(p.total_pnl) AS total_pnl_7d
    FROM daily_pnl p
   WHERE p.date > today.day - 7
     AND p.date <= today.day
) week;
--> statement-breakpoint
COMMENT ON VIEW v_risk_summary IS 'One row of live risk status. active_circuit_breakers = breakers with status active whose cooldown_expires_at is null or in the future (account-wide and per-symbol; the same blocking test as is_trading_allowed()); active_kill_switches = kill switches with status active. Today = the current UTC day whatever the session TimeZone: today_pnl = daily_pnl.total_pnl and current_balance = daily_pnl.balance_end of today''s row (quote currency; null until calculate_daily_pnl() has written today). last_circuit_breaker / last_kill_switch = time and reason of the newest event of any status. Over the 7 UTC days ending today: avg_win_rate_7d = mean of the days'' win_rate (percentage points; days without a win rate skipped), total_pnl_7d = sum of total_pnl (quote currency; null when no day has a row).';
--> statement-breakpoint
-- Least-privilege group roles (SPEC section 6). Re-runnable: every run
-- converges the privileges of this library's objects in schema public to the
-- intended set, so a later migration may simply re-apply this file.
--
-- 1. The NOLOGIN group roles. Roles are cluster-wide: an existing role is
-- used as it is. Without CREATEROLE a missing role is skipped with a NOTICE
-- (its grants below are skipped too) and the migration still succeeds.
DO $roles$
DECLARE
  may_create_roles boolean := (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user);
  group_role text;
BEGIN
  FOREACH group_role IN ARRAY ARRAY['analyst', 'trading_bot'] LOOP
    CONTINUE WHEN EXISTS (SELECT FROM pg_roles WHERE rolname = group_role);
    IF NOT may_create_roles THEN
      RAISE NOTICE 'iftb roles: skipping role "%" and its grants: it does not exist and "%" may not create roles (no CREATEROLE)', group_role, current_user;
      CONTINUE;
    END IF;
    BEGIN
      EXECUTE format('CREATE ROLE %I NOLOGIN', group_role);
      EXECUTE format('COMMENT ON ROLE %I IS %L', group_role, CASE group_role
        WHEN 'analyst' THEN 'IFTB read-only group: SELECT on tables and views, EXECUTE on read-only functions.'
        ELSE 'IFTB trading bot group: SELECT/INSERT/UPDATE, sequences, EXECUTE on functions; no DELETE, TRUNCATE or DDL; audit logs append-only.'
      END);
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL; -- created meanwhile by a migration of another database in this cluster
    END;
  END LOOP;
END $roles$;
--> statement-breakpoint
-- 2. Functions created later by the migrating role are not executable by
-- PUBLIC. Global (not IN SCHEMA): per-schema defaults can only add privileges.
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
--> statement-breakpoint
-- 3. Privileges. Objects of this library = objects in schema public that are
-- not part of an extension and whose owner the migrating role acts for.
-- Each object first loses every privilege of PUBLIC and both roles, then
-- gets exactly the intended ones (same order every run, so ACLs are stable).
DO $grants$
DECLARE
  audit_logs constant text[] := ARRAY['llm_analysis_log', 'system_events'];
  read_only_functions constant text[] := ARRAY['get_latest_price', 'get_latest_ohlcv_price',
    'calculate_position_pnl', 'is_trading_allowed', 'get_latest_fear_greed', 'get_latest_funding_rate',
    'ohlcv_data_series', 'blocking_circuit_breakers'];
  has_analyst boolean := EXISTS (SELECT FROM pg_roles WHERE rolname = 'analyst');
  has_bot boolean := EXISTS (SELECT FROM pg_roles WHERE rolname = 'trading_bot');
  -- Who loses everything before the intended grants: PUBLIC and the roles that exist.
  grantees text := concat_ws(', ', 'PUBLIC', CASE WHEN has_analyst THEN 'analyst' END,
    CASE WHEN has_bot THEN 'trading_bot' END);
  obj record;
  missing text;
BEGIN
  -- Schema: nobody but its owner creates objects in public (PostgreSQL 14
  -- still lets PUBLIC create there).
  IF pg_has_role((SELECT nspowner FROM pg_namespace WHERE nspname = 'public'), 'USAGE') THEN
    EXECUTE format('REVOKE CREATE ON SCHEMA public FROM %s', grantees);
    IF has_analyst THEN GRANT USAGE ON SCHEMA public TO analyst; END IF;
    IF has_bot THEN GRANT USAGE ON SCHEMA public TO trading_bot; END IF;
  ELSE
    RAISE NOTICE 'iftb roles: "%" does not own schema public: left its privileges unchanged', current_user;
  END IF;

  FOR obj IN
    SELECT c.oid::regclass AS name, c.relname, c.relkind
      FROM pg_class c
     WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S')
       AND pg_has_role(c.relowner, 'USAGE')
       AND NOT EXISTS (SELECT FROM pg_depend d
                        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
     ORDER BY c.relname
  LOOP
    IF obj.relkind = 'S' THEN
      EXECUTE format('REVOKE ALL ON SEQUENCE %s FROM %s', obj.name, grantees);
      IF has_bot THEN EXECUTE format('GRANT USAGE, SELECT ON SEQUENCE %s TO trading_bot', obj.name); END IF;
      CONTINUE;
    END IF;
    EXECUTE format('REVOKE ALL ON TABLE %s FROM %s', obj.name, grantees);
    IF has_analyst THEN EXECUTE format('GRANT SELECT ON TABLE %s TO analyst', obj.name); END IF;
    IF has_bot THEN
      EXECUTE format('GRANT %s ON TABLE %s TO trading_bot', CASE
        WHEN obj.relkind IN ('v', 'm') THEN 'SELECT'              -- views are read-only
        WHEN obj.relname = ANY (audit_logs) THEN 'SELECT, INSERT'   -- append-only
        ELSE 'SELECT, INSERT, UPDATE' END, obj.name);
    END IF;
  END LOOP;

  FOR obj IN
    SELECT p.oid::regprocedure AS name, p.proname AS relname
      FROM pg_proc p
     WHERE p.pronamespace = 'public'::regnamespace
       AND pg_has_role(p.proowner, 'USAGE')
       AND NOT EXISTS (SELECT FROM pg_depend d
                        WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
     ORDER BY p.oid::regprocedure::text
  LOOP
    EXECUTE format('REVOKE ALL ON ROUTINE %s FROM %s', obj.name, grantees);
    IF has_analyst AND obj.relname = ANY (read_only_functions) THEN
      EXECUTE format('GRANT EXECUTE ON ROUTINE %s TO analyst', obj.name);
    END IF;
    IF has_bot THEN EXECUTE format('GRANT EXECUTE ON ROUTINE %s TO trading_bot', obj.name); END IF;
  END LOOP;

  SELECT string_agg(f, ', ') INTO missing FROM unnest(read_only_functions) f
   WHERE NOT EXISTS (SELECT FROM pg_proc WHERE proname = f AND pronamespace = 'public'::regnamespace);
  IF missing IS NOT NULL THEN
    RAISE NOTICE 'iftb roles: read-only functions not found, analyst cannot execute them: %', missing;
  END IF;

  -- Objects later migrations create (as this role) get the same grants.
  -- Views also get the table grants; re-applying this file narrows them.
  IF has_analyst THEN
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO analyst;
  END IF;
  IF has_bot THEN
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE ON TABLES TO trading_bot;
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO trading_bot;
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO trading_bot;
  END IF;
END $grants$;
--> statement-breakpoint
