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
  FOREACH group_role IN ARRAY ARRAY['analyst', 'trading_bot', 'iftb_maintenance'] LOOP
    CONTINUE WHEN EXISTS (SELECT FROM pg_roles WHERE rolname = group_role);
    IF NOT may_create_roles THEN
      RAISE NOTICE 'iftb roles: skipping role "%" and its grants: it does not exist and "%" may not create roles (no CREATEROLE)', group_role, current_user;
      CONTINUE;
    END IF;
    BEGIN
      EXECUTE format('CREATE ROLE %I NOLOGIN', group_role);
      EXECUTE format('COMMENT ON ROLE %I IS %L', group_role, CASE group_role
        WHEN 'analyst' THEN 'IFTB read-only group: SELECT on tables and views, EXECUTE on read-only functions.'
        WHEN 'iftb_maintenance' THEN 'IFTB maintenance group (retention jobs, pg_cron): EXECUTE on apply_retention only; no table privileges.'
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
  -- Kept by triggers (SECURITY DEFINER) from the market tables: nobody writes them directly.
  read_models constant text[] := ARRAY['ohlcv_latest', 'ohlcv_data_latest', 'ohlcv_data_hourly', 'ohlcv_data_daily',
    'funding_rates_latest'];
  -- Rebuilds the read models (migrations and apply_retention run it as the owner): nobody else's to run.
  owner_only_functions constant text[] := ARRAY['refresh_market_summaries', 'refresh_read_models'];
  read_only_functions constant text[] := ARRAY['get_latest_price', 'get_latest_ohlcv_price',
    'calculate_position_pnl', 'is_trading_allowed', 'get_latest_fear_greed', 'get_latest_funding_rate',
    'ohlcv_data_series', 'blocking_circuit_breakers'];
  -- SECURITY DEFINER maintenance (they drop and delete as the owner): only
  -- iftb_maintenance may run them, never the bot or the analyst.
  maintenance_functions constant text[] := ARRAY['apply_retention'];
  has_analyst boolean := EXISTS (SELECT FROM pg_roles WHERE rolname = 'analyst');
  has_bot boolean := EXISTS (SELECT FROM pg_roles WHERE rolname = 'trading_bot');
  has_maintenance boolean := EXISTS (SELECT FROM pg_roles WHERE rolname = 'iftb_maintenance');
  -- Who loses everything before the intended grants: PUBLIC and the roles that exist.
  grantees text := concat_ws(', ', 'PUBLIC', CASE WHEN has_analyst THEN 'analyst' END,
    CASE WHEN has_bot THEN 'trading_bot' END, CASE WHEN has_maintenance THEN 'iftb_maintenance' END);
  obj record;
  missing text;
BEGIN
  -- Schema: nobody but its owner creates objects in public (PostgreSQL 14
  -- still lets PUBLIC create there).
  IF pg_has_role((SELECT nspowner FROM pg_namespace WHERE nspname = 'public'), 'USAGE') THEN
    EXECUTE format('REVOKE CREATE ON SCHEMA public FROM %s', grantees);
    IF has_analyst THEN GRANT USAGE ON SCHEMA public TO analyst; END IF;
    IF has_bot THEN GRANT USAGE ON SCHEMA public TO trading_bot; END IF;
    IF has_maintenance THEN GRANT USAGE ON SCHEMA public TO iftb_maintenance; END IF;
  ELSE
    RAISE NOTICE 'iftb roles: "%" does not own schema public: left its privileges unchanged', current_user;
  END IF;

  FOR obj IN
    SELECT c.oid::regclass AS name, c.relname, c.relkind, c.relispartition
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
    -- A partition is reached through its parent, whose privileges apply:
    -- none of its own (as ensure_partitions creates it).
    CONTINUE WHEN obj.relispartition;
    IF has_analyst THEN EXECUTE format('GRANT SELECT ON TABLE %s TO analyst', obj.name); END IF;
    IF has_bot THEN
      EXECUTE format('GRANT %s ON TABLE %s TO trading_bot', CASE
        WHEN obj.relkind IN ('v', 'm') THEN 'SELECT'              -- views are read-only
        WHEN obj.relname = ANY (read_models) THEN 'SELECT'         -- kept by triggers
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
    IF obj.relname = ANY (maintenance_functions) THEN
      IF has_maintenance THEN EXECUTE format('GRANT EXECUTE ON ROUTINE %s TO iftb_maintenance', obj.name); END IF;
    ELSIF has_bot AND obj.relname <> ALL (owner_only_functions) THEN
      EXECUTE format('GRANT EXECUTE ON ROUTINE %s TO trading_bot', obj.name);
    END IF;
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
