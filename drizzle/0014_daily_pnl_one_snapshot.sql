CREATE OR REPLACE FUNCTION calculate_daily_pnl(day date DEFAULT (now() AT TIME ZONE 'UTC')::date)
RETURNS daily_pnl
LANGUAGE plpgsql
AS $$
DECLARE
  -- The UTC day, whatever the session TimeZone. (day + 1), not + interval
  -- '1 day', which would follow the session's DST rules.
  day_start constant timestamptz := day::timestamp AT TIME ZONE 'UTC';
  day_end constant timestamptz := (day + 1)::timestamp AT TIME ZONE 'UTC';
  day_data record;
  too_large record;
  too_large_trade bigint;
  figures daily_pnl;
  -- Ratios are computed unconstrained first: assigning to a figures field
  -- already casts to the column's numeric(p,s) and would raise on overflow.
  profit_factor_ratio numeric;
  max_drawdown_pct_ratio numeric;
  current_drawdown_pct_ratio numeric;
  fee_pct_ratio numeric;
BEGIN
  IF day IS NULL OR NOT isfinite(day) THEN
    RAISE EXCEPTION 'calculate_daily_pnl: day must be a finite date, got %', coalesce(day::text, 'NULL')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;

  -- Everything the row needs is read by ONE statement, so from one snapshot:
  -- in READ COMMITTED each statement of a function sees what was committed
  -- when it started, and trades closing between two reads made counts and
  -- streaks disagree (more wins in a streak than wins).
  WITH RECURSIVE day_trades AS (
    -- Trades closed that day, liquidations included (trades_exit_time_idx),
    -- numbered in exit order for the streaks.
    SELECT t.side, t.realized_pnl, t.fee,
           t.quantity * t.entry_price AS entry_notional,
           t.quantity * (t.entry_price + t.exit_price) AS volume,
           extract(epoch FROM t.exit_time - t.entry_time) / 60 AS minutes,
           row_number() OVER (ORDER BY t.exit_time, t.id) AS seq
      FROM trades t
     WHERE t.action IN ('close', 'liquidated')
       AND t.exit_time >= day_start AND t.exit_time < day_end
  ), trade_figures AS (
    SELECT count(*) AS total_trades,
           count(*) FILTER (WHERE t.realized_pnl > 0) AS winning_trades,
           count(*) FILTER (WHERE t.realized_pnl < 0) AS losing_trades,
           count(*) FILTER (WHERE t.realized_pnl IS NULL) AS trades_without_pnl,
           coalesce(sum(t.realized_pnl), 0) AS realized_pnl,
           coalesce(sum(t.realized_pnl) FILTER (WHERE t.realized_pnl > 0), 0) AS gross_profit,
           coalesce(-sum(t.realized_pnl) FILTER (WHERE t.realized_pnl < 0), 0) AS gross_loss,
           count(*) FILTER (WHERE t.side = 'long') AS long_trades,
           count(*) FILTER (WHERE t.side = 'short') AS short_trades,
           avg(t.entry_notional) AS avg_position_size,
           max(t.entry_notional) AS max_position_size,
           coalesce(sum(t.volume), 0) AS total_volume,
           coalesce(sum(t.fee), 0) AS total_fees,
           max(t.realized_pnl) AS best_trade_pnl,
           min(t.realized_pnl) AS worst_trade_pnl,
           avg(t.minutes) AS avg_minutes,
           min(t.minutes) AS shortest_minutes,
           max(t.minutes) AS longest_minutes
      FROM day_trades t
  ), runs AS (
    -- Win and loss streaks in exit order; a trade that neither won nor lost
    -- breaks both.
    SELECT sign(coalesce(t.realized_pnl, 0)) AS outcome, t.seq,
           t.seq - row_number() OVER (PARTITION BY sign(coalesce(t.realized_pnl, 0)) ORDER BY t.seq) AS run
      FROM day_trades t
  ), run_lengths AS (
    SELECT r.outcome, count(*) AS length, max(r.seq) AS last_seq
      FROM runs r
     GROUP BY r.outcome, r.run
  ), streaks AS (
    SELECT coalesce(max(l.length) FILTER (WHERE l.outcome > 0), 0) AS longest_win,
           coalesce(max(l.length) FILTER (WHERE l.outcome < 0), 0) AS longest_loss,
           -- The current streak is the run holding the last trade (seq = the count).
           coalesce(max(l.length) FILTER (WHERE l.outcome > 0 AND l.last_seq = tf.total_trades), 0) AS current_win,
           coalesce(max(l.length) FILTER (WHERE l.outcome < 0 AND l.last_seq = tf.total_trades), 0) AS current_loss
      FROM run_lengths l, trade_figures tf
  ),
  -- The account's path through the day. The account is every exchange
  -- account (exchange, currency) ever snapshotted, found by a skip scan of
  -- account_snapshots_key; at any instant its figures are the sum of each
  -- account's latest snapshot at or before that instant. The path starts with
  -- the state at day_start (each account's latest snapshot at or before it:
  -- the previous snapshot is carried in) and goes through every snapshot in
  -- (day_start, day_end], so one day's end state is the next day's start.
  accounts(exchange, currency) AS (
    (SELECT s.exchange::text, s.currency::text
       FROM account_snapshots s
      ORDER BY s.exchange, s.currency
      LIMIT 1)
    UNION ALL
    SELECT next_account.exchange, next_account.currency
      FROM accounts a
     CROSS JOIN LATERAL (
           SELECT s.exchange::text, s.currency::text
             FROM account_snapshots s
            WHERE (s.exchange, s.currency) > (a.exchange, a.currency)
            ORDER BY s.exchange, s.currency
            LIMIT 1) next_account
  ), states AS (
    SELECT a.exchange, a.currency, 0 AS phase, opening."timestamp" AS at,
           opening.balance, opening.equity, opening.unrealized
      FROM accounts a
     CROSS JOIN LATERAL (
           SELECT s."timestamp", s.balance, s.equity,
                  coalesce(s.unrealized_pnl, s.equity - s.balance) AS unrealized
             FROM account_snapshots s
            WHERE s.exchange = a.exchange AND s.currency = a.currency
              AND s."timestamp" <= day_start
            ORDER BY s."timestamp" DESC
            LIMIT 1) opening
    UNION ALL
    SELECT a.exchange, a.currency, 1, during."timestamp",
           during.balance, during.equity, during.unrealized
      FROM accounts a
     CROSS JOIN LATERAL (
           -- Its own ORDER BY keeps this subquery from being merged into a
           -- join (which the planner may run as a scan of the whole table):
           -- each account reads its day by one range scan of account_snapshots_key.
           SELECT s."timestamp", s.balance, s.equity,
                  coalesce(s.unrealized_pnl, s.equity - s.balance) AS unrealized
             FROM account_snapshots s
            WHERE s.exchange = a.exchange AND s.currency = a.currency
              AND s."timestamp" > day_start AND s."timestamp" <= day_end
            ORDER BY s."timestamp") during
  ), changes AS (
    -- Each snapshot as the change from its account's previous state, so a
    -- running sum gives the account total at every instant.
    SELECT st.phase, st.at,
           st.balance - coalesce(lag(st.balance) OVER account_history, 0) AS balance_change,
           st.equity - coalesce(lag(st.equity) OVER account_history, 0) AS equity_change,
           st.unrealized - coalesce(lag(st.unrealized) OVER account_history, 0) AS unrealized_change
      FROM states st
    WINDOW account_history AS (PARTITION BY st.exchange, st.currency ORDER BY st.phase, st.at)
  ), running AS (
    -- RANGE framing: snapshots at the same instant share the total after all of them.
    SELECT c.phase, c.at,
           sum(c.balance_change) OVER timeline AS balance,
           sum(c.equity_change) OVER timeline AS equity,
           sum(c.unrealized_change) OVER timeline AS unrealized
      FROM changes c
    WINDOW timeline AS (ORDER BY c.phase, c.at)
  ), path AS (
    (SELECT r.phase, r.at, r.balance, r.equity, r.unrealized
       FROM running r WHERE r.phase = 0 ORDER BY r.at DESC LIMIT 1)
    UNION ALL
    SELECT DISTINCT r.phase, r.at, r.balance, r.equity, r.unrealized
      FROM running r WHERE r.phase = 1
  ), drawdowns AS (
    SELECT p.*, max(p.equity) OVER (ORDER BY p.phase, p.at ROWS UNBOUNDED PRECEDING) AS equity_peak
      FROM path p
  ), account_figures AS (
    SELECT (SELECT array_agg(DISTINCT st.currency ORDER BY st.currency) FROM states st) AS currencies,
         count(*) AS points,
         (array_agg(d.balance ORDER BY d.phase, d.at))[1] AS balance_start,
         (array_agg(d.balance ORDER BY d.phase DESC, d.at DESC))[1] AS balance_end,
         (array_agg(d.equity ORDER BY d.phase, d.at))[1] AS equity_start,
         (array_agg(d.equity ORDER BY d.phase DESC, d.at DESC))[1] AS equity_end,
         (array_agg(d.unrealized ORDER BY d.phase DESC, d.at DESC))[1] AS unrealized_end,
         max(d.balance) AS peak_balance,
         min(d.balance) AS lowest_balance,
         max(d.equity) AS peak_equity,
         min(d.equity) AS lowest_equity,
         max(d.equity_peak - d.equity) AS max_drawdown,
         max((d.equity_peak - d.equity) / d.equity_peak * 100) FILTER (WHERE d.equity_peak > 0) AS max_drawdown_pct
      FROM drawdowns d
  )
  SELECT tf.*, s.*, a.*,
         (SELECT count(*) FROM circuit_breaker_events b
           WHERE b.triggered_at >= day_start AND b.triggered_at < day_end) AS circuit_breakers_triggered,
         EXISTS (SELECT 1 FROM kill_switch_events k
                  WHERE k.activated_at >= day_start AND k.activated_at < day_end) AS kill_switch_activated
    INTO day_data
    FROM trade_figures tf, streaks s, account_figures a;

  IF day_data.trades_without_pnl > 0 THEN
    RAISE NOTICE 'calculate_daily_pnl(%): % closed trade(s) have no realized_pnl: counted in total_trades, not in the P&L figures',
      day, day_data.trades_without_pnl;
  END IF;
  IF day_data.points = 0 THEN
    RAISE EXCEPTION 'calculate_daily_pnl(%): no account_snapshots row at or before % (end of that UTC day); balance_start and balance_end need one',
      day, day_end
      USING ERRCODE = 'no_data_found';
  END IF;
  IF cardinality(day_data.currencies) > 1 THEN
    RAISE EXCEPTION 'calculate_daily_pnl(%): account_snapshots hold balances in several currencies (%); daily_pnl sums one currency',
      day, array_to_string(day_data.currencies, ', ')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;

  -- A figure too large for its column fails the day naming the column (and
  -- the trade, when one trade decides it) instead of a bare "numeric field
  -- overflow" or "integer out of range". The rules on trades keep one
  -- trade's notional within an amount; sums over many trades can still
  -- exceed one. Durations are whole minutes in an integer column.
  SELECT f.name, f.value INTO too_large
    FROM (VALUES
      ('realized_pnl', round(day_data.realized_pnl, 8)),
      ('unrealized_pnl', round(day_data.unrealized_end, 8)),
      ('total_pnl', round(day_data.realized_pnl + day_data.unrealized_end, 8)),
      ('balance_start', round(day_data.balance_start, 8)),
      ('balance_end', round(day_data.balance_end, 8)),
      ('equity_start', round(day_data.equity_start, 8)),
      ('equity_end', round(day_data.equity_end, 8)),
      ('peak_balance', round(day_data.peak_balance, 8)),
      ('lowest_balance', round(day_data.lowest_balance, 8)),
      ('peak_equity', round(day_data.peak_equity, 8)),
      ('lowest_equity', round(day_data.lowest_equity, 8)),
      ('max_drawdown', round(day_data.max_drawdown, 8)),
      ('current_drawdown', round(day_data.peak_equity - day_data.equity_end, 8)),
      ('gross_profit', round(day_data.gross_profit, 8)),
      ('gross_loss', round(day_data.gross_loss, 8)),
      ('max_position_size', round(day_data.max_position_size, 8)),
      ('total_volume', round(day_data.total_volume, 8)),
      ('total_fees', round(day_data.total_fees, 8))
    ) f(name, value)
   WHERE abs(f.value) >= 1000000000000
  UNION ALL
  SELECT 'longest_trade_minutes', round(day_data.longest_minutes)
   WHERE round(day_data.longest_minutes) > 2147483647
   LIMIT 1;
  IF FOUND THEN
    -- A figure one trade decides names that trade (looked up only now, for the message).
    SELECT t.id INTO too_large_trade
      FROM trades t
     WHERE t.action IN ('close', 'liquidated')
       AND t.exit_time >= day_start AND t.exit_time < day_end
     ORDER BY CASE too_large.name WHEN 'max_position_size' THEN t.quantity * t.entry_price
                                  WHEN 'longest_trade_minutes' THEN extract(epoch FROM t.exit_time - t.entry_time) END DESC NULLS LAST, t.id
     LIMIT 1;
    RAISE EXCEPTION 'calculate_daily_pnl(%): daily_pnl.% would be %, beyond its column%', day, too_large.name, too_large.value,
      CASE WHEN too_large.name IN ('max_position_size', 'longest_trade_minutes') THEN format(' (trades.id %s)', too_large_trade)
           ELSE format(' (a total over the day''s %s trades and accounts)', day_data.total_trades) END
      USING ERRCODE = 'numeric_value_out_of_range', COLUMN = too_large.name, TABLE = 'daily_pnl';
  END IF;

  figures.date := day;
  figures.realized_pnl := day_data.realized_pnl;
  figures.unrealized_pnl := day_data.unrealized_end;
  figures.total_pnl := day_data.realized_pnl + day_data.unrealized_end;
  figures.balance_start := day_data.balance_start;
  figures.balance_end := day_data.balance_end;
  figures.equity_start := day_data.equity_start;
  figures.equity_end := day_data.equity_end;
  figures.peak_balance := day_data.peak_balance;
  figures.lowest_balance := day_data.lowest_balance;
  figures.peak_equity := day_data.peak_equity;
  figures.lowest_equity := day_data.lowest_equity;
  figures.max_drawdown := day_data.max_drawdown;
  max_drawdown_pct_ratio := round(day_data.max_drawdown_pct, 4);
  figures.current_drawdown := day_data.peak_equity - day_data.equity_end;
  current_drawdown_pct_ratio := CASE WHEN day_data.peak_equity > 0 THEN
    round((day_data.peak_equity - day_data.equity_end) / day_data.peak_equity * 100, 4) END;
  figures.total_trades := day_data.total_trades;
  figures.winning_trades := day_data.winning_trades;
  figures.losing_trades := day_data.losing_trades;
  figures.win_rate := CASE WHEN day_data.total_trades > 0 THEN
    round(day_data.winning_trades * 100.0 / day_data.total_trades, 2) END;
  figures.gross_profit := day_data.gross_profit;
  figures.gross_loss := day_data.gross_loss;
  figures.average_win := CASE WHEN day_data.winning_trades > 0 THEN round(day_data.gross_profit / day_data.winning_trades, 8) END;
  figures.average_loss := CASE WHEN day_data.losing_trades > 0 THEN round(day_data.gross_loss / day_data.losing_trades, 8) END;
  profit_factor_ratio := CASE WHEN day_data.gross_loss > 0 THEN round(day_data.gross_profit / day_data.gross_loss, 4) END;
  figures.long_trades := day_data.long_trades;
  figures.short_trades := day_data.short_trades;
  figures.avg_position_size := round(day_data.avg_position_size, 8);
  figures.max_position_size := round(day_data.max_position_size, 8);
  figures.total_volume := round(day_data.total_volume, 8);
  figures.total_fees := day_data.total_fees;
  fee_pct_ratio := CASE WHEN day_data.total_volume > 0 THEN
    round(day_data.total_fees / day_data.total_volume * 100, 6) END;
  figures.avg_trade_duration_minutes := round(day_data.avg_minutes);
  figures.shortest_trade_minutes := round(day_data.shortest_minutes);
  figures.longest_trade_minutes := round(day_data.longest_minutes);
  figures.current_win_streak := day_data.current_win;
  figures.current_loss_streak := day_data.current_loss;
  figures.longest_win_streak := day_data.longest_win;
  figures.longest_loss_streak := day_data.longest_loss;
  figures.best_trade_pnl := day_data.best_trade_pnl;
  figures.worst_trade_pnl := day_data.worst_trade_pnl;

  -- A ratio too large for its column carries no information ("no loss to
  -- speak of", "no peak to speak of"): store null and say so, never overflow.
  IF abs(profit_factor_ratio) >= 1000000 THEN
    RAISE NOTICE 'calculate_daily_pnl(%): profit_factor % exceeds numeric(10,4); stored as null', day, profit_factor_ratio;
    profit_factor_ratio := NULL;
  END IF;
  IF abs(max_drawdown_pct_ratio) >= 1000000 THEN
    RAISE NOTICE 'calculate_daily_pnl(%): max_drawdown_pct % exceeds numeric(10,4); stored as null', day, max_drawdown_pct_ratio;
    max_drawdown_pct_ratio := NULL;
  END IF;
  IF abs(current_drawdown_pct_ratio) >= 1000000 THEN
    RAISE NOTICE 'calculate_daily_pnl(%): current_drawdown_pct % exceeds numeric(10,4); stored as null', day, current_drawdown_pct_ratio;
    current_drawdown_pct_ratio := NULL;
  END IF;
  IF abs(fee_pct_ratio) >= 10000 THEN
    RAISE NOTICE 'calculate_daily_pnl(%): fee_pct_of_volume % exceeds numeric(10,6); stored as null', day, fee_pct_ratio;
    fee_pct_ratio := NULL;
  END IF;
  figures.profit_factor := profit_factor_ratio;
  figures.max_drawdown_pct := max_drawdown_pct_ratio;
  figures.current_drawdown_pct := current_drawdown_pct_ratio;
  figures.fee_pct_of_volume := fee_pct_ratio;

  figures.circuit_breakers_triggered := day_data.circuit_breakers_triggered;
  figures.kill_switch_activated := day_data.kill_switch_activated;

  -- Upsert; when nothing changed the row is left alone (updated_at and
  -- calculation_completed_at included), so a rerun returns the same row.
  INSERT INTO daily_pnl AS d (
    date, realized_pnl, unrealized_pnl, total_pnl, balance_start, balance_end, equity_start, equity_end,
    peak_balance, lowest_balance, peak_equity, lowest_equity, max_drawdown, max_drawdown_pct,
    current_drawdown, current_drawdown_pct, total_trades, winning_trades, losing_trades, win_rate,
    gross_profit, gross_loss, average_win, average_loss, profit_factor, long_trades, short_trades,
    avg_position_size, max_position_size, total_volume, total_fees, fee_pct_of_volume,
    circuit_breakers_triggered, kill_switch_activated, sharpe_ratio, sortino_ratio, calmar_ratio,
    avg_trade_duration_minutes, shortest_trade_minutes, longest_trade_minutes,
    current_win_streak, current_loss_streak, longest_win_streak, longest_loss_streak,
    best_trade_pnl, worst_trade_pnl, exchange, calculation_completed_at)
  VALUES (
    figures.date, figures.realized_pnl, figures.unrealized_pnl, figures.total_pnl, figures.balance_start,
    figures.balance_end, figures.equity_start, figures.equity_end, figures.peak_balance, figures.lowest_balance,
    figures.peak_equity, figures.lowest_equity, figures.max_drawdown, figures.max_drawdown_pct,
    figures.current_drawdown, figures.current_drawdown_pct, figures.total_trades, figures.winning_trades,
    figures.losing_trades, figures.win_rate, figures.gross_profit, figures.gross_loss, figures.average_win,
    figures.average_loss, figures.profit_factor, figures.long_trades, figures.short_trades,
    figures.avg_position_size, figures.max_position_size, figures.total_volume, figures.total_fees,
    figures.fee_pct_of_volume, figures.circuit_breakers_triggered, figures.kill_switch_activated,
    NULL, NULL, NULL,
    figures.avg_trade_duration_minutes, figures.shortest_trade_minutes, figures.longest_trade_minutes,
    figures.current_win_streak, figures.current_loss_streak, figures.longest_win_streak,
    figures.longest_loss_streak, figures.best_trade_pnl, figures.worst_trade_pnl, NULL, clock_timestamp())
  ON CONFLICT (date) DO UPDATE SET
    realized_pnl = EXCLUDED.realized_pnl, unrealized_pnl = EXCLUDED.unrealized_pnl,
    total_pnl = EXCLUDED.total_pnl, balance_start = EXCLUDED.balance_start, balance_end = EXCLUDED.balance_end,
    equity_start = EXCLUDED.equity_start, equity_end = EXCLUDED.equity_end,
    peak_balance = EXCLUDED.peak_balance, lowest_balance = EXCLUDED.lowest_balance,
    peak_equity = EXCLUDED.peak_equity, lowest_equity = EXCLUDED.lowest_equity,
    max_drawdown = EXCLUDED.max_drawdown, max_drawdown_pct = EXCLUDED.max_drawdown_pct,
    current_drawdown = EXCLUDED.current_drawdown, current_drawdown_pct = EXCLUDED.current_drawdown_pct,
    total_trades = EXCLUDED.total_trades, winning_trades = EXCLUDED.winning_trades,
    losing_trades = EXCLUDED.losing_trades, win_rate = EXCLUDED.win_rate,
    gross_profit = EXCLUDED.gross_profit, gross_loss = EXCLUDED.gross_loss,
    average_win = EXCLUDED.average_win, average_loss = EXCLUDED.average_loss,
    profit_factor = EXCLUDED.profit_factor, long_trades = EXCLUDED.long_trades,
    short_trades = EXCLUDED.short_trades, avg_position_size = EXCLUDED.avg_position_size,
    max_position_size = EXCLUDED.max_position_size, total_volume = EXCLUDED.total_volume,
    total_fees = EXCLUDED.total_fees, fee_pct_of_volume = EXCLUDED.fee_pct_of_volume,
    circuit_breakers_triggered = EXCLUDED.circuit_breakers_triggered,
    kill_switch_activated = EXCLUDED.kill_switch_activated,
    sharpe_ratio = EXCLUDED.sharpe_ratio, sortino_ratio = EXCLUDED.sortino_ratio,
    calmar_ratio = EXCLUDED.calmar_ratio,
    avg_trade_duration_minutes = EXCLUDED.avg_trade_duration_minutes,
    shortest_trade_minutes = EXCLUDED.shortest_trade_minutes,
    longest_trade_minutes = EXCLUDED.longest_trade_minutes,
    current_win_streak = EXCLUDED.current_win_streak, current_loss_streak = EXCLUDED.current_loss_streak,
    longest_win_streak = EXCLUDED.longest_win_streak, longest_loss_streak = EXCLUDED.longest_loss_streak,
    best_trade_pnl = EXCLUDED.best_trade_pnl, worst_trade_pnl = EXCLUDED.worst_trade_pnl,
    exchange = EXCLUDED.exchange, calculation_completed_at = EXCLUDED.calculation_completed_at
  -- Every column but the bookkeeping ones, compared as a whole, so a column
  -- added later is compared too (jsonb numbers compare by value: 1.50 = 1.5).
  WHERE to_jsonb(d) - '{id,created_at,updated_at,calculation_completed_at}'::text[]
        IS DISTINCT FROM to_jsonb(EXCLUDED) - '{id,created_at,updated_at,calculation_completed_at}'::text[];

  SELECT * INTO figures FROM daily_pnl d WHERE d.date = day;
  RETURN figures;
END;
$$;
--> statement-breakpoint
COMMENT ON FUNCTION calculate_daily_pnl(date) IS 'Recomputes one UTC day (default: today in UTC) of daily_pnl, whatever the session TimeZone, upserts it on date and returns the row; a rerun over unchanged data leaves the row untouched and returns it unchanged. Trades: those closed that day (action close or liquidated, exit_time in the day): realized_pnl, counts, win_rate (percentage points, 2 places), gross_profit and gross_loss (both magnitudes >= 0), average_win and average_loss (magnitudes, 8 places), profit_factor (4 places; null without losses), long/short counts, position sizes (entry notional), total_volume (entry plus exit notional), total_fees, fee_pct_of_volume (6 places), best/worst trade, durations (whole minutes, rounded), win/loss streaks in exit order. Account: at any instant the sum over exchange accounts of each one''s latest account_snapshots row; balance_start/equity_start = that at the start of the day (the previous snapshot carried in; the first snapshot of the day when none precedes it), the path goes through every snapshot up to and including the end of the day, balance_end/equity_end/unrealized_pnl = the end state (the carried snapshot when the day has none); peak/lowest balance and equity, max_drawdown (largest fall from the running equity peak) and current_drawdown (peak_equity - equity_end), percentages of the peak in 4 places. Raises when no snapshot precedes the end of the day or snapshots span several currencies. total_pnl = realized_pnl + unrealized_pnl. circuit_breakers_triggered and kill_switch_activated count events that day. All figures come from one statement, so one snapshot: trades closing meanwhile never mix into the row. Rounding is half away from zero; a ratio beyond its column is stored null with a NOTICE; any other figure beyond its column raises numeric_value_out_of_range naming the column (and the trade, for max_position_size and longest_trade_minutes). sharpe/sortino/calmar and exchange (whole account) are null.';
--> statement-breakpoint
-- Days stored by the earlier calculate_daily_pnl could mix two snapshots of
-- the trades; recompute every row the next migration's CHECKs would refuse
-- (daily_pnl is derived data: the day's trades and snapshots are the truth).
SELECT calculate_daily_pnl(d.date)
  FROM daily_pnl d
 WHERE ((("winning_trades" + "losing_trades") <= "total_trades") AND (("long_trades" + "short_trades") <= "total_trades")) IS FALSE
   OR (("longest_win_streak" <= "winning_trades") AND ("longest_loss_streak" <= "losing_trades") AND ("current_win_streak" <= "longest_win_streak") AND ("current_loss_streak" <= "longest_loss_streak")) IS FALSE
   OR (("current_win_streak" = 0) OR ("current_loss_streak" = 0)) IS FALSE
   OR ((NOT ("total_trades" = 0)) OR ("win_rate" IS NULL)) IS FALSE
   OR (("gross_profit" >= 0) AND ("gross_loss" >= 0) AND ("average_win" >= 0) AND ("average_loss" >= 0) AND ("profit_factor" >= 0) AND ("max_drawdown" >= 0) AND ("current_drawdown" >= 0) AND ("max_drawdown_pct" >= 0) AND ("current_drawdown_pct" >= 0)) IS FALSE
   OR (("current_drawdown" <= "max_drawdown") AND ("current_drawdown_pct" <= "max_drawdown_pct") AND (("max_drawdown" + "lowest_equity") <= "peak_equity")) IS FALSE
   OR (("lowest_balance" <= LEAST("balance_start", "balance_end")) AND ("peak_balance" >= GREATEST("balance_start", "balance_end"))) IS FALSE
   OR (("lowest_equity" <= LEAST("equity_start", "equity_end")) AND ("peak_equity" >= GREATEST("equity_start", "equity_end"))) IS FALSE
 ORDER BY d.date;
--> statement-breakpoint
