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
