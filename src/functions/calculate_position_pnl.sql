CREATE OR REPLACE FUNCTION calculate_position_pnl(position_id bigint, current_price numeric)
RETURNS TABLE(unrealized_pnl numeric, unrealized_pnl_pct numeric)
LANGUAGE plpgsql
STABLE
AS $$
BEGIN
  -- Rejects NULL, <= 0, NaN and Infinity (NaN sorts above Infinity).
  IF calculate_position_pnl.current_price IS NULL
     OR NOT (calculate_position_pnl.current_price > 0 AND calculate_position_pnl.current_price < 'Infinity'::numeric) THEN
    RAISE EXCEPTION 'calculate_position_pnl: current_price must be a positive finite price, got %',
      coalesce(calculate_position_pnl.current_price::text, 'NULL')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  -- Columns are qualified: positions has columns named like this function's
  -- parameters and outputs (current_price, unrealized_pnl, ...).
  RETURN QUERY
  SELECT round(move.per_unit * p.quantity, 8),
         round(move.per_unit / p.entry_price * 100 * p.leverage, 4)
    FROM positions p
   CROSS JOIN LATERAL (
         SELECT CASE p.side
                  WHEN 'long' THEN calculate_position_pnl.current_price - p.entry_price
                  ELSE p.entry_price - calculate_position_pnl.current_price
                END AS per_unit) move
   WHERE p.id = calculate_position_pnl.position_id;
END;
$$;
--> statement-breakpoint
COMMENT ON FUNCTION calculate_position_pnl(bigint, numeric) IS 'Unrealized P&L of a position at current_price (> 0). unrealized_pnl = (current - entry) x quantity for long, (entry - current) x quantity for short, in quote currency (quantity is base currency; leverage does not multiply P&L), rounded half away from zero to 8 places like positions.unrealized_pnl. unrealized_pnl_pct = return on margin in percentage points = price move % x leverage, rounded half away from zero to 4 places like positions.unrealized_pnl_pct (null when leverage is null). No row for an unknown position.';
