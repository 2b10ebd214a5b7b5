/**
 * What the read benchmarks put into a database besides (and including) the
 * candles, all server-side and deterministic (no random()), so two databases
 * filled alike hold the same rows: candles of a feed, funding rates and fear
 * & greed readings, risk history, and trades with the decisions and analyses
 * behind them. Works on both designs: on a database with monthly partitions
 * it first creates the partitions the rows need (ensure_partitions), as a
 * backfill must.
 */
import type postgres from 'postgres';
import { generateCandlesSql, SYMBOLS, timeOfRow, type Feed } from './candles.ts';

export const SYMBOL_ARRAY = `ARRAY[${SYMBOLS.map((s) => `'${s}'`).join(', ')}]`;

/** Whether `table` is partitioned (relkind 'p'). */
export async function isPartitioned(sql: postgres.Sql, table: string): Promise<boolean> {
  const [row] =
    await sql`SELECT EXISTS (SELECT FROM pg_class WHERE oid = to_regclass(${table}) AND relkind = 'p') AS partitioned`;
  return row!.partitioned as boolean;
}

/**
 * The partitions of `table` covering [from, to], when the table is
 * partitioned and ensure_partitions() exists; nothing otherwise.
 */
export async function ensurePartitions(sql: postgres.Sql, table: string, from: Date, to: Date): Promise<void> {
  if (!(await isPartitioned(sql, table))) return;
  const [fn] =
    await sql`SELECT to_regprocedure('ensure_partitions(regclass, timestamptz, timestamptz)') IS NOT NULL AS present`;
  if (!fn!.present)
    throw new Error(`${table} is partitioned but ensure_partitions(regclass, timestamptz, timestamptz) does not exist`);
  await sql`SELECT ensure_partitions(${table}::regclass, ${from}, ${to})`;
}

/** The tables holding `table`'s rows: its leaf partitions, or itself. */
export async function leafTables(sql: postgres.Sql, table: string): Promise<string[]> {
  const rows = await sql<
    { name: string }[]
  >`SELECT relid::regclass::text AS name FROM pg_partition_tree(${table}::regclass) WHERE isleaf`;
  return rows.length ? rows.map((r) => r.name) : [table];
}

/** Size of `table` with its indexes and TOAST, all partitions together, in bytes. */
export async function totalSize(sql: postgres.Sql, table: string): Promise<number> {
  const [row] =
    await sql`SELECT coalesce((SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree(${table}::regclass)),
    pg_total_relation_size(${table}::regclass))::float8 AS bytes`;
  return row!.bytes as number;
}

/**
 * Rows [from, to) of `feed` into `table` (ohlcv_data or ohlcv), in chunks of
 * about `chunkRows` (each one INSERT ... SELECT). Returns the elapsed ms.
 */
export async function loadCandles(
  sql: postgres.Sql,
  table: 'ohlcv_data' | 'ohlcv',
  feed: Feed,
  from = 0,
  to = feed.rows,
  chunkRows = 500_000,
): Promise<number> {
  const t0 = performance.now();
  await ensurePartitions(sql, table, timeOfRow(feed, from), timeOfRow(feed, to - 1));
  for (let k = from; k < to; k += chunkRows)
    await sql.unsafe(generateCandlesSql(table, feed, k, Math.min(to, k + chunkRows)));
  return performance.now() - t0;
}

/** Fear & greed readings (daily, three years) and funding rates (every 8 hours, one year). */
export async function fillMarketData(sql: postgres.Sql): Promise<void> {
  await sql.unsafe(`INSERT INTO fear_greed_index ("timestamp", value)
    SELECT date_trunc('day', now()) - d * interval '1 day', 10 + d % 80 FROM generate_series(0, 3 * 365) d`);
  const [range] =
    await sql`SELECT date_trunc('hour', now()) - 3 * 365 * interval '8 hours' AS first, date_trunc('hour', now()) AS last`;
  await ensurePartitions(sql, 'funding_rates', range!.first as Date, range!.last as Date);
  // Rates vary (a few beyond +-0.0005, the "high" periods of v_funding_rate_analysis).
  await sql.unsafe(`INSERT INTO funding_rates (symbol, "timestamp", rate, mark_price, index_price)
    SELECT s, date_trunc('hour', now()) - h * interval '8 hours', ((h * 7 + ascii(s)) % 15 - 7) * 0.0001, 100.5, 100
      FROM unnest(${SYMBOL_ARRAY}) s, generate_series(0, 3 * 365) h`);
}

/**
 * Risk history (mostly resolved breakers, deactivated kill switches, with a
 * few stale 'active' breakers past their cooldown) and three years of daily P&L.
 */
export async function fillRiskData(sql: postgres.Sql, breakers: number, killSwitches: number): Promise<void> {
  await sql.unsafe(`INSERT INTO circuit_breaker_events (triggered_at, reason, trigger_type, symbol, status,
      resolved_at, resolved_by, cooldown_hours, severity)
    SELECT now() - i * interval '7 minutes', 'bench breaker ' || i,
           (ARRAY['max_daily_loss', 'max_drawdown', 'rapid_loss', 'consecutive_losses', 'position_limit',
                  'exchange_error', 'network_issue', 'manual'])[1 + i % 8],
           CASE WHEN i % 2 = 0 THEN NULL ELSE (${SYMBOL_ARRAY})[1 + i % ${SYMBOLS.length}] END,
           CASE WHEN i % 1000 = 1 THEN 'active' WHEN i % 100 = 0 THEN 'expired' ELSE 'resolved' END,
           CASE WHEN i % 1000 = 1 THEN NULL ELSE now() - i * interval '7 minutes' + interval '30 minutes' END,
           CASE WHEN i % 1000 = 1 THEN NULL ELSE 'bench' END, 1.0, 'warning'
      FROM generate_series(1, ${breakers}) i`);
  await sql.unsafe(`INSERT INTO kill_switch_events (activated_at, reason, trigger_source, activated_by, status,
      deactivated_at, deactivated_by, deactivation_reason)
    SELECT now() - i * interval '1 hour', 'bench kill switch ' || i,
           (ARRAY['manual', 'api', 'circuit_breaker_cascade', 'system_health', 'exchange_emergency',
                  'security_alert', 'critical_error'])[1 + i % 7], 'bench',
           CASE WHEN i % 100 = 0 THEN 'partial_recovery' ELSE 'deactivated' END,
           now() - i * interval '1 hour' + interval '10 minutes', 'bench', 'resolved'
      FROM generate_series(1, ${killSwitches}) i`);
  await sql.unsafe(`INSERT INTO daily_pnl (date, balance_start, balance_end, total_pnl, realized_pnl, win_rate, total_trades, winning_trades)
    SELECT (now() AT TIME ZONE 'UTC')::date - d, 10000 + d, 10000 + d + 12.5, 12.5, 12.5, 55, 20, 11
      FROM generate_series(0, 3 * 365) d`);
}

/**
 * `n` trades (one every 17 minutes back from now; every tenth still open,
 * the rest closed or liquidated), one filled order each, 50 open positions
 * (one per symbol and side) and `n` closed ones, and `n` trading decisions,
 * each with the technical signal, LLM analysis and ML prediction it was
 * built from; every third decision executed through its trade's order.
 * What v_active_positions, v_recent_trades, v_decision_analysis and
 * v_analysis_performance read. `n` >= 500.
 */
export async function fillTradingData(sql: postgres.Sql, n: number): Promise<void> {
  const symbol = (i: string) => `(${SYMBOL_ARRAY})[1 + ${i} % ${SYMBOLS.length}]`;
  await sql.unsafe(`INSERT INTO trades (id, trade_id, symbol, exchange, side, action, entry_price, exit_price, quantity,
      realized_pnl, realized_pnl_pct, signal_score, technical_score, llm_score, entry_time, exit_time)
    SELECT i, 'bench-' || i, ${symbol('(i / 10)')}, 'binance', CASE WHEN (i / 10) % 50 < 25 THEN 'long' ELSE 'short' END,
           CASE WHEN i % 10 = 0 THEN 'open' WHEN i % 50 = 1 THEN 'liquidated' ELSE 'close' END,
           100 + i % 50, CASE WHEN i % 10 = 0 THEN NULL ELSE 100 + i % 50 + (i % 7 - 3) END, 1.5,
           CASE WHEN i % 10 = 0 THEN NULL ELSE (i % 7 - 3) * 1.5 END,
           CASE WHEN i % 10 = 0 THEN NULL ELSE (i % 7 - 3) * 1.5 / (100 + i % 50) * 100 END,
           0.5, 0.6, 0.7, now() - i * interval '17 minutes' - interval '2 hours',
           CASE WHEN i % 10 = 0 THEN NULL ELSE now() - i * interval '17 minutes' END
      FROM generate_series(1, ${n}) i`);
  await sql.unsafe(`INSERT INTO orders (id, client_order_id, symbol, exchange, side, order_type, status, quantity,
      filled_quantity, average_fill_price, trade_id, filled_at)
    SELECT t.id, 'bench-order-' || t.id, t.symbol, t.exchange, CASE t.side WHEN 'long' THEN 'buy' ELSE 'sell' END,
           'market', 'filled', t.quantity, t.quantity, t.entry_price, t.id, t.entry_time
      FROM trades t`);
  // Open positions: (symbol, side) pairs 0..49 from the open trades 'bench-10', 'bench-20', ...
  await sql.unsafe(`INSERT INTO positions (symbol, exchange, side, entry_price, quantity, margin, current_price, status, trade_id, entry_time)
    SELECT t.symbol, t.exchange, t.side, t.entry_price, t.quantity, 100, t.entry_price + 1, 'open', t.trade_id, t.entry_time
      FROM trades t WHERE t.id % 10 = 0 AND t.id <= 500`);
  await sql.unsafe(`INSERT INTO positions (symbol, exchange, side, entry_price, quantity, margin, status, trade_id, entry_time)
    SELECT t.symbol, t.exchange, t.side, t.entry_price, t.quantity, 100, 'closed', t.trade_id, t.entry_time
      FROM trades t WHERE t.action <> 'open'`);
  for (const [table, columns, values] of [
    [
      'technical_signals',
      'overall_signal, confidence, bullish_count, bearish_count, indicators_json',
      `(ARRAY['bullish', 'bearish', 'neutral'])[1 + i % 3], 0.6, i % 5, i % 4, '{"rsi": 50}'`,
    ],
    [
      'llm_analyses',
      'sentiment, confidence, summary, model',
      `(ARRAY['bullish', 'bearish', 'neutral', 'uncertain'])[1 + i % 4], 0.7, 'bench analysis ' || i, 'bench-model'`,
    ],
    [
      'ml_predictions',
      'action, confidence, prob_long, prob_short, model_version',
      `(ARRAY['long', 'short', 'hold', 'close'])[1 + i % 4], 0.65, 0.5, 0.3, 'bench-1'`,
    ],
  ] as const) {
    await sql.unsafe(`INSERT INTO ${table} (id, symbol, "timestamp", ${columns})
      SELECT i, ${symbol('i')}, now() - i * interval '17 minutes', ${values} FROM generate_series(1, ${n}) i`);
  }
  await sql.unsafe(`INSERT INTO trading_decisions (id, symbol, "timestamp", action, confidence, entry_price, reasons_json,
      technical_signal_id, llm_analysis_id, ml_prediction_id, order_id, vetoed, veto_reason, executed, executed_at)
    SELECT i, ${symbol('i')}, now() - i * interval '17 minutes',
           CASE WHEN i % 3 = 0 THEN 'long' WHEN i % 21 = 1 THEN 'vetoed' ELSE 'hold' END, 0.66, 100 + i % 50,
           '{"bench": true}', i, i, i, CASE WHEN i % 3 = 0 THEN i END,
           i % 3 <> 0 AND i % 21 = 1, CASE WHEN i % 3 <> 0 AND i % 21 = 1 THEN 'bench veto' END,
           i % 3 = 0, CASE WHEN i % 3 = 0 THEN now() - i * interval '17 minutes' END
      FROM generate_series(1, ${n}) i`);
  for (const table of [
    'trades',
    'orders',
    'technical_signals',
    'llm_analyses',
    'ml_predictions',
    'trading_decisions',
  ]) {
    await sql.unsafe(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), ${n})`);
  }
}

/**
 * Reads are timed on a settled database: vacuumed and analyzed, with
 * autovacuum kept off the candle tables (each partition: a partitioned
 * table takes no storage options) so it cannot run mid-measurement.
 */
export async function settle(sql: postgres.Sql): Promise<void> {
  for (const table of ['ohlcv_data', 'ohlcv']) {
    for (const leaf of await leafTables(sql, table))
      await sql.unsafe(`ALTER TABLE ${leaf} SET (autovacuum_enabled = false)`);
  }
  await sql.unsafe('VACUUM ANALYZE');
}
