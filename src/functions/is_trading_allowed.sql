-- depends: blocking_circuit_breakers
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
