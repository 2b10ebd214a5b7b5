/**
 * apply_retention and applyRetention on the real server and on PGlite:
 * default and custom policies, the dry run, references kept, whole monthly
 * partitions dropped with exact boundaries, hooks, idempotent reruns; and on
 * the server, who may run it (SET ROLE).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, type Db } from '../src/db.ts';
import {
  applyRetention,
  FunctionArgumentError,
  type RetentionAction,
  type RetentionPolicy,
} from '../src/functions/index.ts';
import * as t from '../src/schema/index.ts';
import { freshPglite, freshPostgres, type TestDb } from './support/db.ts';

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY);
/** Every table but `keep` switched off, so a test sees only its own tables. */
const only = (policy: RetentionPolicy): RetentionPolicy => ({
  ohlcv: null,
  ohlcv_data: null,
  funding_rates: null,
  llm_analysis_log: null,
  system_events: null,
  llm_analyses: null,
  technical_signals: null,
  ml_predictions: null,
  trades: null,
  ...policy,
});
const withoutCutoff = (actions: RetentionAction[]) => actions.map(({ cutoff: _, ...rest }) => rest);
const summary = (actions: RetentionAction[]) =>
  actions.map((a) => `${a.action} ${a.table}${a.partition ? ` ${a.partition}` : ''} ${a.rows}`);

async function query<T = Record<string, unknown>>(db: Db, text: string): Promise<T[]> {
  return rowsOf<T>(await db.execute(sql.raw(text)));
}

async function counts(db: Db, tables: string[]): Promise<Record<string, number>> {
  const [row] = await query(db, `SELECT ${tables.map((n) => `(SELECT count(*)::int FROM ${n}) AS ${n}`).join(', ')}`);
  return row as Record<string, number>;
}

/** The partitions of `table`, oldest first. */
async function partitions(db: Db, table: string): Promise<string[]> {
  return (
    await query<{ name: string }>(
      db,
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = '${table}'::regclass ORDER BY 1`,
    )
  ).map((r) => r.name);
}

/**
 * `table` partitioned by month on `column`, as migration 0019 makes it
 * (converted here while the branch runs without it; left alone once it is
 * partitioned), with the monthly partitions of `months` ("YYYY-MM").
 */
async function partitionedByMonth(db: Db, table: string, column: string, months: string[]): Promise<void> {
  const [kind] = await query<{ relkind: string }>(
    db,
    `SELECT relkind::text FROM pg_class WHERE oid = '${table}'::regclass`,
  );
  if (kind!.relkind !== 'p') {
    await db.execute(sql.raw(`ALTER TABLE ${table} RENAME TO ${table}_unpartitioned`));
    await db.execute(
      sql.raw(`CREATE TABLE ${table} (LIKE ${table}_unpartitioned INCLUDING DEFAULTS INCLUDING IDENTITY
      INCLUDING CONSTRAINTS) PARTITION BY RANGE ("${column}")`),
    );
    await db.execute(sql.raw(`DROP TABLE ${table}_unpartitioned CASCADE`));
  }
  for (const month of months) {
    const [year, m] = month.split('-').map(Number) as [number, number];
    const next = m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
    await db.execute(
      sql.raw(`CREATE TABLE IF NOT EXISTS ${table}_p${month.replace('-', '')} PARTITION OF ${table}
      FOR VALUES FROM ('${month}-01 00:00:00+00') TO ('${next}-01 00:00:00+00')`),
    );
  }
}

const monthOf = (d: Date) => d.toISOString().slice(0, 7);
const candle = (ts: string) => `('BTCUSDT', '1h', '${ts}', 1, 1, 1, 1, 1)`;
const insertCandles = (db: Db, ...ts: string[]) =>
  db.execute(
    sql.raw(
      `INSERT INTO ohlcv_data (symbol, timeframe, "timestamp", open, high, low, close, volume) VALUES ${ts.map(candle).join(', ')}`,
    ),
  );

const targets = [
  { name: 'postgres', open: () => freshPostgres() },
  { name: 'pglite', open: freshPglite },
];

describe.each(targets)('retention on $name', ({ open }) => {
  let target: TestDb;
  beforeAll(async () => {
    target = await open();
  });
  afterAll(async () => target?.dispose());

  describe('policy checks', () => {
    it('names the key of an unknown table or a bad horizon, before anything changes', async () => {
      const { db } = target;
      const refused = async (policy: unknown) => {
        const error = await applyRetention(db, policy as RetentionPolicy).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(FunctionArgumentError);
        return `${(error as FunctionArgumentError).argument}: ${(error as Error).message}`;
      };
      expect(await refused({ candles: '90 days' })).toMatch(/^policy\.candles: .*not a table retention covers/);
      expect(await refused({ trades: 365 })).toMatch(/^policy\.trades: .*interval text/);
      // The database reads the intervals; its errors still name the key.
      expect(await refused({ trades: 'a year' })).toMatch(/^policy\.trades: .*"a year" is not an interval/);
      expect(await refused({ llm_analyses: '-30 days' })).toMatch(/^policy\.llm_analyses: .*negative/);
      expect(await refused({ ohlcv_data: '90' })).toMatch(/^policy\.ohlcv_data: .*shorter than 1 day/);
      expect(await refused([])).toMatch(/^policy: applyRetention: policy must be an object/);
    });

    it('the SQL function raises invalid_parameter_value naming the key', async () => {
      const error = await target.db
        .execute(sql`SELECT * FROM apply_retention('{"orders": "1 year"}')`)
        .catch((e: unknown) => e);
      expect(String((error as { cause?: Error }).cause?.message ?? error)).toContain(
        'policy key "orders" is not a table retention covers',
      );
    });
  });

  describe('rows of unpartitioned tables, and what trading decisions point at', () => {
    const ids: Record<string, number> = {};
    let decisionId: number;

    beforeAll(async () => {
      const { db } = target;
      const analysis = async (days: number) =>
        (
          await db
            .insert(t.llmAnalyses)
            .values({
              symbol: 'BTCUSDT',
              sentiment: 'bullish',
              confidence: '0.7',
              summary: 's',
              model: 'm',
              timestamp: daysAgo(days),
            })
            .returning()
        )[0]!.id;
      const signal = async (days: number) =>
        (
          await db
            .insert(t.technicalSignals)
            .values({
              symbol: 'BTCUSDT',
              overallSignal: 'bullish',
              confidence: '0.8',
              indicatorsJson: {},
              timestamp: daysAgo(days),
            })
            .returning()
        )[0]!.id;
      const prediction = async (days: number) =>
        (
          await db
            .insert(t.mlPredictions)
            .values({
              symbol: 'BTCUSDT',
              action: 'long',
              confidence: '0.6',
              modelVersion: 'v1',
              timestamp: daysAgo(days),
            })
            .returning()
        )[0]!.id;
      const trade = async (tradeId: string, exitDays: number | null) =>
        (
          await db
            .insert(t.trades)
            .values({
              tradeId,
              symbol: 'BTCUSDT',
              exchange: 'binance',
              side: 'long',
              entryPrice: '100',
              quantity: '1',
              ...(exitDays === null
                ? { action: 'open', entryTime: daysAgo(500) }
                : { action: 'close', exitPrice: '110', entryTime: daysAgo(exitDays + 1), exitTime: daysAgo(exitDays) }),
            })
            .returning()
        )[0]!.id;
      ids.analysisReferenced = await analysis(40);
      ids.analysisOld = await analysis(40);
      ids.analysisNew = await analysis(10);
      ids.signalReferenced = await signal(45);
      ids.signalOld = await signal(45);
      ids.predictionReferenced = await prediction(50);
      ids.predictionOld = await prediction(50);
      ids.tradeOld = await trade('T-old', 400);
      ids.tradeOfOrder = await trade('T-order', 400);
      ids.tradeOfPosition = await trade('T-position', 400);
      ids.tradeOpen = await trade('T-open', null);
      ids.tradeNew = await trade('T-new', 10);
      await db.insert(t.positions).values({
        symbol: 'BTCUSDT',
        exchange: 'binance',
        side: 'long',
        entryPrice: '100',
        quantity: '1',
        margin: '10',
        status: 'closed',
        tradeId: 'T-position',
      });
      const [order] = await db
        .insert(t.orders)
        .values({
          clientOrderId: 'C-1',
          symbol: 'BTCUSDT',
          exchange: 'binance',
          side: 'buy',
          orderType: 'market',
          quantity: '1',
          tradeId: ids.tradeOfOrder,
        })
        .returning();
      ids.order = order!.id;
      const [decision] = await db
        .insert(t.tradingDecisions)
        .values({
          symbol: 'BTCUSDT',
          action: 'long',
          confidence: '0.7',
          reasonsJson: ['agree'],
          timestamp: daysAgo(40),
          llmAnalysisId: ids.analysisReferenced,
          technicalSignalId: ids.signalReferenced,
          mlPredictionId: ids.predictionReferenced,
          orderId: ids.order,
        })
        .returning();
      decisionId = decision!.id;
    });

    const rowTables = [
      'llm_analyses',
      'technical_signals',
      'ml_predictions',
      'trades',
      'orders',
      'positions',
      'trading_decisions',
    ];
    const rowPolicy = only({
      llm_analyses: '30 days',
      technical_signals: '30 days',
      ml_predictions: '30 days',
      trades: '365 days',
    });
    let dryRun: RetentionAction[];

    it('a custom policy: a longer horizon or null keeps the rows', async () => {
      const report = await applyRetention(
        target.db,
        only({ llm_analyses: '60 days', technical_signals: null, ml_predictions: '45 days', trades: '2 years' }),
        { dryRun: true },
      );
      expect(summary(report)).toEqual(['deleted ml_predictions 1', 'kept_referenced ml_predictions 1']);
    });

    it('a dry run reports every action and changes nothing', async () => {
      const before = await counts(target.db, rowTables);
      dryRun = await applyRetention(target.db, rowPolicy, { dryRun: true });
      expect(summary(dryRun)).toEqual([
        'deleted llm_analyses 1',
        'kept_referenced llm_analyses 1',
        'deleted technical_signals 1',
        'kept_referenced technical_signals 1',
        'deleted ml_predictions 1',
        'kept_referenced ml_predictions 1',
        'deleted trades 1',
        'kept_referenced trades 2',
      ]);
      expect(dryRun.every((a) => a.rowsExact && a.bytes === null && a.partition === null)).toBe(true);
      const trades = dryRun.find((a) => a.table === 'trades' && a.action === 'deleted')!;
      expect(Math.abs(trades.rangeStart.getTime() - daysAgo(400).getTime())).toBeLessThan(60_000);
      expect(Math.abs(trades.cutoff.getTime() - daysAgo(365).getTime())).toBeLessThan(60_000);
      expect(await counts(target.db, rowTables)).toEqual(before);
    });

    it('the real run reports what the dry run showed, deletes only unreferenced old rows, and keeps every link of the decision', async () => {
      const real = await applyRetention(target.db, rowPolicy);
      expect(withoutCutoff(real)).toEqual(withoutCutoff(dryRun));
      const left = async (table: string) =>
        (await query<{ id: number }>(target.db, `SELECT id::int FROM ${table} ORDER BY id`)).map((r) => r.id);
      expect(await left('llm_analyses')).toEqual([ids.analysisReferenced, ids.analysisNew]);
      expect(await left('technical_signals')).toEqual([ids.signalReferenced]);
      expect(await left('ml_predictions')).toEqual([ids.predictionReferenced]);
      // An open trade (no exit) never ages; trades an order or a position points at stay.
      expect(await left('trades')).toEqual([ids.tradeOfOrder, ids.tradeOfPosition, ids.tradeOpen, ids.tradeNew]);
      const [decision] = await query(
        target.db,
        `SELECT llm_analysis_id::int AS a, technical_signal_id::int AS s,
        ml_prediction_id::int AS m, order_id::int AS o FROM trading_decisions WHERE id = ${decisionId}`,
      );
      expect(decision).toEqual({
        a: ids.analysisReferenced,
        s: ids.signalReferenced,
        m: ids.predictionReferenced,
        o: ids.order,
      });
      const [links] = await query(
        target.db,
        `SELECT (SELECT trade_id::int FROM orders WHERE id = ${ids.order}) AS order_trade,
        (SELECT trade_id FROM positions) AS position_trade`,
      );
      expect(links).toEqual({ order_trade: ids.tradeOfOrder, position_trade: 'T-position' });
    });

    it('a rerun deletes nothing more and reports the same kept rows', async () => {
      const before = await counts(target.db, rowTables);
      const again = await applyRetention(target.db, rowPolicy);
      expect(summary(again)).toEqual([
        'kept_referenced llm_analyses 1',
        'kept_referenced technical_signals 1',
        'kept_referenced ml_predictions 1',
        'kept_referenced trades 2',
      ]);
      expect(await counts(target.db, rowTables)).toEqual(before);
    });

    it('once the decision lets go, its analysis goes at the next run', async () => {
      await target.db.execute(sql`UPDATE trading_decisions SET llm_analysis_id = NULL WHERE id = ${decisionId}`);
      const report = await applyRetention(target.db, only({ llm_analyses: '30 days' }));
      expect(summary(report)).toEqual(['deleted llm_analyses 1']);
    });
  });

  describe('partitioned tables', () => {
    const current = monthOf(new Date());
    /** ohlcv_data's hourly sums that no remaining candle backs, and candle hours with no sum. */
    const hourlyMismatch = async () =>
      query<{ hour: string }>(
        target.db,
        `WITH sums AS (SELECT to_char(bucket_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS hour FROM ohlcv_data_hourly),
              candles AS (SELECT to_char("timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:00') AS hour FROM ohlcv_data)
         (SELECT hour FROM sums EXCEPT SELECT hour FROM candles)
         UNION ALL (SELECT hour FROM candles EXCEPT SELECT hour FROM sums)`,
      );

    beforeAll(async () => {
      const { db } = target;
      await partitionedByMonth(db, 'ohlcv_data', 'timestamp', ['2020-01', '2020-02', '2020-03', '2020-04', current]);
      await partitionedByMonth(db, 'system_events', 'created_at', ['2020-01', current]);
      await insertCandles(
        db,
        '2020-01-10 00:00+00',
        '2020-02-15 00:00+00',
        '2020-03-01 00:00+00',
        '2020-03-31 23:59:59.999999+00',
        '2020-04-02 00:00+00',
        new Date().toISOString(),
      );
      await db.execute(
        sql.raw(`INSERT INTO system_events (event_type, severity, message, created_at)
        VALUES ('startup', 'info', 'old', '2020-01-05 00:00+00'), ('startup', 'info', 'new', now())`),
      );
      await db.execute(sql.raw(`ANALYZE ohlcv_data`));
    });

    /** The policy with ohlcv_data's cutoff at exactly `instant`, in one transaction (one now()). */
    const exactly = (db: Db, instant: string, dryRun: boolean, extra = '') =>
      db.transaction(async (tx) =>
        rowsOf<{
          partition_name: string;
          action: string;
          range_start: unknown;
          range_end: unknown;
        }>(
          await tx.execute(
            sql.raw(`SELECT * FROM apply_retention(jsonb_build_object(
         'ohlcv_data', (now() - timestamptz '${instant}' ${extra})::text,
         'ohlcv', null, 'funding_rates', null, 'llm_analysis_log', null, 'system_events', null,
         'llm_analyses', null, 'technical_signals', null, 'ml_predictions', null, 'trades', null), ${dryRun})`),
          ),
        ),
      );

    it('keeps a partition that still holds a row inside the horizon, to the microsecond', async () => {
      const { db } = target;
      // Cutoff = the last microsecond of March 2020: that March row is not older, so March stays.
      const march = await exactly(db, '2020-03-31 23:59:59.999999+00', true);
      expect(march.map((r) => r.partition_name)).toEqual(['ohlcv_data_p202001', 'ohlcv_data_p202002']);
      // Cutoff = March's upper bound: all of March is older.
      const april = await exactly(db, '2020-04-01 00:00+00', true);
      expect(april.map((r) => r.partition_name)).toEqual([
        'ohlcv_data_p202001',
        'ohlcv_data_p202002',
        'ohlcv_data_p202003',
      ]);
      // One microsecond longer horizon: the cutoff is just before February's upper bound, so February stays.
      const february = await exactly(db, '2020-03-01 00:00+00', true, `+ interval '1 microsecond'`);
      expect(february.map((r) => r.partition_name)).toEqual(['ohlcv_data_p202001']);
      expect(await partitions(db, 'ohlcv_data')).toContain('ohlcv_data_p202003');
    });

    it('drops exactly the partitions the dry run named, and returns their space', async () => {
      const { db } = target;
      const dry = await exactly(db, '2020-03-01 00:00+00', true);
      const real = await exactly(db, '2020-03-01 00:00+00', false);
      expect(real).toEqual(dry);
      expect(real.map((r) => [r.partition_name, r.action])).toEqual([
        ['ohlcv_data_p202001', 'dropped'],
        ['ohlcv_data_p202002', 'dropped'],
      ]);
      expect(await partitions(db, 'ohlcv_data')).not.toContain('ohlcv_data_p202002');
      expect(await partitions(db, 'ohlcv_data')).toContain('ohlcv_data_p202003');
      const [left] = await query(
        db,
        `SELECT count(*)::int AS n, min("timestamp") = '2020-03-01 00:00+00' AS march_first
        FROM ohlcv_data`,
      );
      expect(left).toEqual({ n: 4, march_first: true });
    });

    it('with the defaults drops the old months of every partitioned table, reports the planner count and bytes, and rebuilds only the read models of what it dropped', async () => {
      const { db } = target;
      // A newest-rate entry no funding rate backs, dated in a month dropped from
      // ohlcv_data: a rebuild of every read model would remove it; a rebuild of
      // ohlcv_data's read models over its dropped months leaves it.
      await db.execute(
        sql.raw(`INSERT INTO funding_rates_latest (symbol, exchange, "timestamp", rate, rate_bps, annualized_rate)
        VALUES ('UNBACKED', 'binance', '2020-03-15 00:00+00', 0.0001, 1, 0.1095)`),
      );
      const dry = await applyRetention(db, {}, { dryRun: true });
      const real = await applyRetention(db);
      expect(withoutCutoff(real)).toEqual(withoutCutoff(dry));
      const dropped = real.filter((a) => a.action === 'dropped');
      // Every dropped month is wholly past its cutoff; the test database may hold other old months too.
      expect(dropped.every((a) => a.rangeEnd.getTime() <= a.cutoff.getTime())).toBe(true);
      expect(dropped.map((a) => a.partition).filter((p) => /_p2020\d\d$/.test(p!))).toEqual([
        'ohlcv_data_p202003',
        'ohlcv_data_p202004',
        'system_events_p202001',
      ]);
      const march = dropped.find((a) => a.partition === 'ohlcv_data_p202003')!;
      expect(march).toMatchObject({
        table: 'ohlcv_data',
        rows: 2,
        rowsExact: false,
        rangeStart: new Date('2020-03-01T00:00:00Z'),
        rangeEnd: new Date('2020-04-01T00:00:00Z'),
      });
      expect(march.bytes).toBeGreaterThan(0);
      // system_events was never analyzed: its partition's rows were counted.
      expect(dropped.find((a) => a.partition === 'system_events_p202001')).toMatchObject({ rows: 1, rowsExact: true });
      expect(await partitions(db, 'ohlcv_data')).toContain(`ohlcv_data_p${current.replace('-', '')}`);
      expect(await counts(db, ['ohlcv_data', 'system_events'])).toEqual({ ohlcv_data: 1, system_events: 1 });
      // ohlcv_data's hourly sums of the dropped months are gone; the other tables' read models were not touched.
      expect(await hourlyMismatch()).toEqual([]);
      const [unbacked] = await query<{ n: number }>(
        db,
        `SELECT count(*)::int AS n FROM funding_rates_latest WHERE symbol = 'UNBACKED'`,
      );
      expect(unbacked!.n).toBe(1);
      await db.execute(sql.raw(`DELETE FROM funding_rates_latest WHERE symbol = 'UNBACKED'`));
    });

    it('a rerun drops nothing and rebuilds nothing', async () => {
      const { db } = target;
      // An hourly sum no candle backs: any rebuild of ohlcv_data's read models would remove it.
      await db.execute(
        sql.raw(`INSERT INTO ohlcv_data_hourly (symbol, timeframe, exchange, bucket_start, candle_count, range_pct_sum,
          range_pct_square_sum, volume_sum, volume_max, first_candle_time, first_open, last_candle_time, last_close)
        VALUES ('UNBACKED', '1h', 'binance', '2020-01-01 00:00+00', 1, 0, 0, 1, 1,
          '2020-01-01 00:00+00', 1, '2020-01-01 00:00+00', 1)`),
      );
      const again = await applyRetention(db);
      expect(again.filter((a) => a.action === 'dropped')).toEqual([]);
      expect(await hourlyMismatch()).toEqual([{ hour: '2020-01-01 00:00' }]);
      await db.execute(sql.raw(`DELETE FROM ohlcv_data_hourly WHERE symbol = 'UNBACKED'`));
    });
  });
});

describe('who may run retention (postgres)', () => {
  let target: TestDb;
  beforeAll(async () => {
    target = await freshPostgres();
    await target.db.insert(t.llmAnalyses).values({
      symbol: 'BTCUSDT',
      sentiment: 'bullish',
      confidence: '0.7',
      summary: 's',
      model: 'm',
      timestamp: daysAgo(40),
    });
  });
  afterAll(async () => target?.dispose());

  class Rollback extends Error {}
  /** Runs `statement` as `role`, then rolls back: 'ok' or the SQLSTATE. */
  async function attempt(role: string, statement: string, keep = false): Promise<string> {
    try {
      await target.sql!.begin(async (tx) => {
        await tx.unsafe(`SET LOCAL ROLE ${role}`);
        await tx.unsafe(statement);
        if (!keep) throw new Rollback();
      });
    } catch (e) {
      if (e instanceof Rollback) return 'ok';
      return (e as { code?: string }).code ?? String(e);
    }
    return 'ok';
  }

  it('iftb_maintenance is a NOLOGIN group, and apply_retention is SECURITY DEFINER with a pinned search_path', async () => {
    const [role] = await target.sql!`SELECT rolcanlogin, rolinherit FROM pg_roles WHERE rolname = 'iftb_maintenance'`;
    expect(role).toEqual({ rolcanlogin: false, rolinherit: true });
    const [fn] = await target.sql!`SELECT p.prosecdef, p.proconfig, pg_get_userbyid(p.proowner) = current_user AS owned
      FROM pg_proc p WHERE p.oid = 'apply_retention(jsonb, boolean)'::regprocedure`;
    expect(fn).toMatchObject({ prosecdef: true, owned: true });
    expect(fn!.proconfig).toContain('search_path=pg_catalog, public, pg_temp');
  });

  it('may run it, and it deletes as the owner', async () => {
    expect(await attempt('iftb_maintenance', `SELECT * FROM apply_retention('{}', true)`)).toBe('ok');
    expect(await attempt('iftb_maintenance', `SELECT * FROM apply_retention()`, true)).toBe('ok');
    const [left] = await target.sql!`SELECT count(*)::int AS n FROM llm_analyses`;
    expect(left).toEqual({ n: 0 });
  });

  it('holds nothing else: no table, sequence or other function', async () => {
    const extra = await target.sql!`
      SELECT c.relname, p.privilege FROM pg_class c
       CROSS JOIN unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) p(privilege)
       WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
         AND has_table_privilege('iftb_maintenance', c.oid, p.privilege)
      UNION ALL
      SELECT p.oid::regprocedure::text, 'EXECUTE' FROM pg_proc p
       WHERE p.pronamespace = 'public'::regnamespace AND has_function_privilege('iftb_maintenance', p.oid, 'EXECUTE')`;
    expect(extra).toEqual([{ relname: 'apply_retention(jsonb,boolean)', privilege: 'EXECUTE' }]);
    expect(await attempt('iftb_maintenance', `DELETE FROM llm_analyses`)).toBe('42501');
    expect(await attempt('iftb_maintenance', `SELECT * FROM trades`)).toBe('42501');
  });

  it('trading_bot and analyst may not run it', async () => {
    for (const role of ['trading_bot', 'analyst']) {
      expect(await attempt(role, `SELECT * FROM apply_retention('{}', true)`), role).toBe('42501');
    }
  });
});

describe('a decision written while retention runs (postgres)', () => {
  let target: TestDb;
  beforeAll(async () => {
    target = await freshPostgres();
  });
  afterAll(async () => target?.dispose());

  const oldAnalysis = async () =>
    (
      await target.db
        .insert(t.llmAnalyses)
        .values({
          symbol: 'BTCUSDT',
          sentiment: 'bullish',
          confidence: '0.7',
          summary: 's',
          model: 'm',
          timestamp: daysAgo(40),
        })
        .returning()
    )[0]!.id;
  const decisionSql = (
    analysisId: number,
  ) => `INSERT INTO trading_decisions (symbol, action, confidence, reasons_json, llm_analysis_id)
    VALUES ('BTCUSDT', 'long', 0.7, '[]', ${analysisId}) RETURNING id`;
  const policy = JSON.stringify(only({ llm_analyses: '30 days' }));

  it('keeps the analysis when the decision commits while retention waits for it', async () => {
    const analysisId = await oldAnalysis();
    const writer = await target.sql!.reserve();
    try {
      await writer.unsafe('BEGIN');
      await writer.unsafe(decisionSql(analysisId));
      // Retention finds the analysis unreferenced, then waits for the writer's lock on it.
      const retention = target.sql!.unsafe(`SELECT action, row_count::int FROM apply_retention('${policy}')`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await writer.unsafe('COMMIT');
      expect(await retention).toEqual([{ action: 'kept_referenced', row_count: 1 }]);
    } finally {
      writer.release();
    }
    const [row] =
      await target.sql!`SELECT count(*)::int AS n FROM trading_decisions WHERE llm_analysis_id = ${analysisId}`;
    expect(row).toEqual({ n: 1 });
  });

  it('a decision pointing at an analysis retention has just deleted fails on the foreign key instead of losing its link', async () => {
    await target.sql!`UPDATE trading_decisions SET llm_analysis_id = NULL`;
    const analysisId = await oldAnalysis();
    const maintenance = await target.sql!.reserve();
    try {
      await maintenance.unsafe('BEGIN');
      const report = await maintenance.unsafe(`SELECT action, row_count::int FROM apply_retention('${policy}')`);
      // This analysis and the first test's, whose decision no longer points at it.
      expect([...report]).toContainEqual({ action: 'deleted', row_count: 2 });
      const decision = target.sql!.unsafe(decisionSql(analysisId)).then(
        () => 'ok',
        (e: { code?: string }) => e.code,
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      await maintenance.unsafe('COMMIT');
      expect(await decision).toBe('23503');
    } finally {
      maintenance.release();
    }
  });
});
