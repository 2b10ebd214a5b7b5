/**
 * The nine views of SPEC section 4, read through the typed query builder on
 * the real server and on PGlite: their columns match the database's, and
 * their rows and values follow the spec on a small fixture.
 */
import { asc, desc, eq, sql } from 'drizzle-orm';
import { getViewConfig, type PgColumn, type PgView } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { rowsOf } from '../src/db.ts';
import * as views from '../src/views/index.ts';
import {
  type ActivePositionsRow,
  type MarketCorrelationRow,
  type RiskSummaryRow,
  vActivePositions,
  vAnalysisPerformance,
  vDecisionAnalysis,
  vFundingRateAnalysis,
  vMarketCorrelation,
  vMarketDataSummary,
  vRecentTrades,
  vRiskSummary,
  vVolatilityAnalysis,
} from '../src/views/index.ts';
import { targets, type TestDb } from './support/db.ts';
import { DAY, HOUR, MIN, isoDay, loadViewFixture, utcDay, type ViewFixture } from './support/views-fixture.ts';

const allViews = Object.entries(views).filter(([key]) => /^v[A-Z]/.test(key)) as [string, PgView][];
/** A SQL type as drizzle and format_type() spell it, made comparable. */
const normalType = (t: string) =>
  t
    .toLowerCase()
    .replace(/\s+/g, '')
    .replace(/^charactervarying/, 'varchar');
const num = (v: string | null | undefined) => (v === null || v === undefined ? v : Number(v));

it('row types: decimal strings, Date, number, literal unions (checked by tsc)', () => {
  expectTypeOf<RiskSummaryRow>().toEqualTypeOf<{
    activeCircuitBreakers: number;
    activeKillSwitches: number;
    todayPnl: string | null;
    currentBalance: string | null;
    lastCircuitBreaker: Date | null;
    lastCircuitBreakerReason: string | null;
    lastKillSwitch: Date | null;
    lastKillSwitchReason: string | null;
    avgWinRate7d: string | null;
    totalPnl7d: string | null;
  }>();
  expectTypeOf<ActivePositionsRow['id']>().toEqualTypeOf<number>();
  expectTypeOf<ActivePositionsRow['side']>().toEqualTypeOf<'long' | 'short'>();
  expectTypeOf<ActivePositionsRow['entryTime']>().toEqualTypeOf<Date>();
  expectTypeOf<MarketCorrelationRow['date']>().toEqualTypeOf<string>();
});

describe.each(targets)('views on $name', ({ open }) => {
  let target: TestDb;
  let fx: ViewFixture;
  const now = new Date();
  beforeAll(async () => {
    target = await open();
    fx = await loadViewFixture(target.db, now);
  });
  afterAll(async () => target?.dispose());

  it('exports the nine views, each typed column for column as the database has it', async () => {
    expect(allViews.map(([, v]) => getViewConfig(v).name).sort()).toEqual([
      'v_active_positions',
      'v_analysis_performance',
      'v_decision_analysis',
      'v_funding_rate_analysis',
      'v_market_correlation',
      'v_market_data_summary',
      'v_recent_trades',
      'v_risk_summary',
      'v_volatility_analysis',
    ]);
    for (const [, view] of allViews) {
      const { name, selectedFields } = getViewConfig(view);
      const actual = rowsOf<{ column: string; type: string }>(
        await target.db.execute(sql`
        SELECT a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type
          FROM pg_attribute a
         WHERE a.attrelid = ${name}::regclass AND a.attnum > 0 AND NOT a.attisdropped
         ORDER BY a.attnum`),
      );
      const declared = Object.values(selectedFields as Record<string, PgColumn>).map((c) => ({
        column: c.name,
        type: normalType(c.getSQLType()),
      }));
      expect(declared, name).toEqual(actual.map((c) => ({ column: c.column, type: normalType(c.type) })));
    }
  });

  it('every view carries a comment that states units', async () => {
    const comments = rowsOf<{ name: string; comment: string | null }>(
      await target.db.execute(sql`
      SELECT c.relname AS name, obj_description(c.oid, 'pg_class') AS comment
        FROM pg_class c
       WHERE c.relkind = 'v' AND c.relnamespace = 'public'::regnamespace AND c.relname LIKE 'v!_%' ESCAPE '!'`),
    );
    expect(comments).toHaveLength(9);
    for (const { name, comment } of comments) {
      expect(comment, name).toMatch(/percentage points|quote currency|fraction|index points|minutes/);
    }
  });

  it('every numeric view column carries its unit as a column comment', async () => {
    const numericColumns = rowsOf<{ column: string; comment: string | null }>(
      await target.db.execute(sql`
      SELECT c.relname || '.' || a.attname AS column, col_description(c.oid, a.attnum) AS comment
        FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
       WHERE c.relkind = 'v' AND c.relnamespace = 'public'::regnamespace AND a.atttypid = 'numeric'::regtype`),
    );
    expect(numericColumns.length).toBeGreaterThan(40);
    expect(numericColumns.filter((c) => !c.comment).map((c) => c.column)).toEqual([]);
  });

  it('v_active_positions: open positions only, with the trade scores and whole minutes held', async () => {
    const rows = await target.db.select().from(vActivePositions).orderBy(asc(vActivePositions.symbol));
    expect(rows.map((r) => [r.symbol, r.side, r.status])).toEqual([
      ['BTCUSDT', 'long', 'open'],
      ['ETHUSDT', 'short', 'open'],
    ]);
    const [btc, eth] = rows as [(typeof rows)[0], (typeof rows)[0]];
    expect(btc).toMatchObject({
      exchange: 'binance',
      entryPrice: '100.00000000',
      quantity: '0.50000000',
      leverage: '2.00',
      margin: '50.00000000',
      currentPrice: '104.00000000',
      unrealizedPnl: '2.00000000',
      unrealizedPnlPct: '8.0000',
      stopLoss: '95.00000000',
      takeProfit: null,
      tradeId: 'T-open',
      signalScore: '0.8000',
      technicalScore: '0.7000',
      llmScore: '0.6000',
      entryTime: fx.btcEntry,
    });
    expect(typeof btc.id).toBe('number');
    expect(btc.lastUpdated).toBeInstanceOf(Date);
    expect(btc.createdAt).toBeInstanceOf(Date);
    // Entered 90 min 20 s before the fixture was written: 90 whole minutes (91 if the run is slow).
    expect(btc.minutesHeld).toBe(Math.floor((Date.now() - fx.btcEntry.getTime()) / MIN));
    expect(btc.minutesHeld).toBeGreaterThanOrEqual(90);
    expect(eth).toMatchObject({ tradeId: null, signalScore: null, technicalScore: null, llmScore: null });
    expect(eth.minutesHeld).toBeGreaterThanOrEqual(10);
    expect(Object.keys(btc)).toHaveLength(24);
  });

  it('v_recent_trades: the 100 newest closed or liquidated trades, newest exit first, durations in rounded minutes', async () => {
    const rows = await target.db.select().from(vRecentTrades);
    expect(rows).toHaveLength(100);
    // R-0 exited last; R-100..R-104 are the oldest and fall off; the open trade never shows.
    expect(rows.map((r) => r.exitTime.getTime())).toEqual(fx.recent.slice(0, 100).map((r) => r.exitTime.getTime()));
    expect(rows.every((r) => r.symbol === 'LTCUSDT')).toBe(true);
    // Held i min 29 s (even i) rounds to i; i min 30 s (odd i) rounds up.
    expect(rows.map((r) => r.durationMinutes)).toEqual(fx.recent.slice(0, 100).map((_, i) => i + (i % 2)));
    expect(rows.filter((r) => r.action === 'liquidated')).toHaveLength(10);
    expect(rows[1]).toMatchObject({
      exchange: 'binance',
      side: 'short',
      action: 'close',
      entryPrice: '50.00000000',
      exitPrice: '51.00000000',
      quantity: '2.00000000',
      realizedPnl: '-2.00000000',
      realizedPnlPct: '-2.0000',
      signalScore: null,
      entryTime: fx.recent[1]!.entryTime,
    });
  });

  it('v_decision_analysis: each decision with its components, newest first', async () => {
    const rows = await target.db.select().from(vDecisionAnalysis);
    const expected = [...fx.decisions].sort((a, b) => b.timestamp.getTime() - a.timestamp.getTime() || b.id - a.id);
    expect(rows.map((r) => r.decisionId)).toEqual(expected.map((d) => d.id));
    const first = rows.find((r) => r.decisionId === fx.decisions[0]!.id)!;
    expect(first).toMatchObject({
      symbol: 'BTCUSDT',
      action: 'long',
      decisionConfidence: '0.7200',
      executed: true,
      vetoed: false,
      vetoReason: null,
      technicalSignal: 'bullish',
      technicalConfidence: '0.7500',
      bullishCount: 5,
      bearishCount: 1,
      llmSentiment: 'bullish',
      llmConfidence: '0.8000',
      llmSummary: 'Uptrend intact',
      llmCached: true,
      mlAction: 'long',
      mlConfidence: '0.7000',
      probLong: '0.7000',
      probShort: '0.2000',
      reasonsJson: { step: 0 },
      timestamp: fx.decisions[0]!.timestamp,
    });
    expect(rows[0]).toMatchObject({
      symbol: 'ETHUSDT',
      action: 'vetoed',
      vetoed: true,
      vetoReason: 'Funding too high',
      executed: false,
      technicalSignal: null,
      llmSentiment: null,
      llmCached: null,
      mlAction: null,
      probLong: null,
      reasonsJson: ['funding'],
    });
  });

  it('v_analysis_performance: executed decisions with a realized outcome; was_profitable is null at exactly 0', async () => {
    const rows = await target.db.select().from(vAnalysisPerformance).orderBy(asc(vAnalysisPerformance.decisionTime));
    expect(rows.map((r) => [r.decisionPrice, r.realizedPnl, r.wasProfitable])).toEqual([
      ['100.00000000', '10.00000000', true],
      ['101.00000000', '-5.00000000', false],
      ['102.00000000', '0.00000000', null],
    ]);
    expect(rows[0]).toMatchObject({
      symbol: 'BTCUSDT',
      decisionAction: 'long',
      executed: true,
      realizedPnlPct: '10.0000',
      technicalSignal: 'bullish',
      llmSentiment: 'bullish',
      mlAction: 'long',
      decisionTime: fx.decisions[0]!.timestamp,
      entryTime: fx.outcomes[0]!.entryTime,
      exitTime: fx.outcomes[0]!.exitTime,
    });
    expect(rows[1]).toMatchObject({ technicalSignal: null, llmSentiment: null, mlAction: null });
  });

  it('v_risk_summary: one row; live breakers and switches; today and the last 7 days are UTC days', async () => {
    // A session TimeZone whose local date is not the UTC date right now.
    const zone = now.getUTCHours() >= 10 ? 'Pacific/Kiritimati' : 'Pacific/Pago_Pago';
    const { rows, sessionDate } = await target.db.transaction(async (tx) => {
      await tx.execute(sql.raw(`SET LOCAL TimeZone = '${zone}'`));
      const [{ day }] = rowsOf<{ day: string }>(await tx.execute(sql`SELECT current_date::text AS day`)) as [
        { day: string },
      ];
      return { rows: await tx.select().from(vRiskSummary), sessionDate: day };
    });
    expect(sessionDate).not.toBe(isoDay(utcDay(now)));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toEqual({
      // 'Daily loss limit' (cooling down), 'Manual halt' (no cooldown), 'SOL rapid loss' (symbol breaker).
      activeCircuitBreakers: 3,
      activeKillSwitches: 1,
      todayPnl: '150.00000000',
      currentBalance: '10150.00000000',
      lastCircuitBreaker: new Date(now.getTime() - 10 * MIN),
      lastCircuitBreakerReason: 'SOL rapid loss',
      lastKillSwitch: new Date(now.getTime() - HOUR),
      lastKillSwitchReason: 'Drill',
      // Days 0, -1 and -6 (win rate null there); day -7 and tomorrow are outside.
      avgWinRate7d: expect.any(String),
      totalPnl7d: '120.00000000',
    });
    expect(num(rows[0]!.avgWinRate7d)).toBe(50);
  });

  it('v_risk_summary: today_pnl and current_balance are null before today is calculated', async () => {
    await target.db
      .transaction(async (tx) => {
        await tx.execute(sql`DELETE FROM daily_pnl WHERE date = (now() AT TIME ZONE 'UTC')::date`);
        const [row] = await tx.select().from(vRiskSummary);
        expect(row).toMatchObject({ todayPnl: null, currentBalance: null, totalPnl7d: '-30.00000000' });
        expect(num(row!.avgWinRate7d)).toBe(40);
        tx.rollback();
      })
      .catch((e: Error) => {
        if (!/rollback/i.test(e.message)) throw e;
      });
  });

  it('v_market_data_summary: one row per series with its newest candle, the latest fear & greed and funding', async () => {
    const rows = await target.db.select().from(vMarketDataSummary);
    expect(rows.map((r) => `${r.symbol}/${r.exchange}/${r.timeframe}`).sort()).toEqual([
      'BTCUSDT/binance/1h',
      'BTCUSDT/bybit/1h',
      'ETHUSDT/binance/1d',
      'SOLUSDT/binance/1h',
      'SOLUSDT/binance/4h',
      'XRPUSDT/binance/15m',
      'XRPUSDT/binance/1d',
      'XRPUSDT/binance/1h',
      'XRPUSDT/binance/1w',
    ]);
    const series = (symbol: string, exchange: string, timeframe: string) =>
      rows.find((r) => r.symbol === symbol && r.exchange === exchange && r.timeframe === timeframe)!;
    const latestFearGreed = { fearGreedValue: 72, fearGreedClassification: 'greed', fearGreedTime: utcDay(now) };
    expect(series('BTCUSDT', 'binance', '1h')).toMatchObject({
      lastCandleTime: new Date(now.getTime() - HOUR),
      lastPrice: '105.00000000',
      lastVolume: '12.50000000',
      ...latestFearGreed,
      fundingRate: '0.00020000',
      fundingRateBps: '2.0000',
      fundingRateAnnual: '0.219000',
      fundingRateTime: new Date(now.getTime() - 8 * HOUR),
    });
    expect(num(series('BTCUSDT', 'binance', '1h').lastCandleChangePct)).toBe(5);
    expect(series('BTCUSDT', 'bybit', '1h')).toMatchObject({
      lastPrice: '104.00000000',
      ...latestFearGreed,
      fundingRate: null,
      fundingRateBps: null,
      fundingRateTime: null,
    });
    expect(num(series('BTCUSDT', 'bybit', '1h').lastCandleChangePct)).toBeCloseTo(-100 / 105, 12);
    // The latest funding reading whatever its age.
    expect(series('ETHUSDT', 'binance', '1d')).toMatchObject({
      lastCandleTime: utcDay(now, -1),
      lastPrice: '2100.00000000',
      fundingRate: '0.00030000',
    });
    expect(series('SOLUSDT', 'binance', '4h').lastCandleTime).toEqual(new Date(now.getTime() - 40 * DAY));
  });

  it('v_funding_rate_analysis: windows over the last 24 h, 7 and 30 days; extremes counted strictly', async () => {
    const rows = await target.db
      .select()
      .from(vFundingRateAnalysis)
      .orderBy(asc(vFundingRateAnalysis.symbol), asc(vFundingRateAnalysis.exchange));
    // DOTUSDT and ETHUSDT have no reading in 30 days.
    expect(rows.map((r) => `${r.symbol}/${r.exchange}`)).toEqual([
      'ADAUSDT/binance',
      'BTCUSDT/binance',
      'XRPUSDT/binance',
      'XRPUSDT/bybit',
    ]);
    const ada = rows[0]!;
    expect(ada).toMatchObject({
      currentRate: '0.00080000',
      maxRate24h: '0.00080000',
      minRate24h: '-0.00020000',
      // 0.0008 and 0.0006 above 0.0005; -0.0007 and -0.0009 below -0.0005; ±0.0005 themselves not.
      highPositivePeriods7d: 2,
      highNegativePeriods7d: 2,
      lastUpdate: new Date(now.getTime() - HOUR),
    });
    expect(num(ada.avgRate24h)).toBeCloseTo(0.0003, 12);
    expect(num(ada.avgRate7d)).toBeCloseTo(-0.0004 / 7, 12);
    expect(num(ada.avgRate30d)).toBeCloseTo(0.0006 / 8, 12);
    const btc = rows[1]!;
    expect(btc).toMatchObject({ currentRate: '0.00020000', highPositivePeriods7d: 0, highNegativePeriods7d: 0 });
    expect(num(btc.avgRate24h)).toBeCloseTo(0.00015, 12);
  });

  it('v_volatility_analysis: stddev and mean of the candle range % per series active in 30 days', async () => {
    const rows = await target.db.select().from(vVolatilityAnalysis);
    const keys = rows.map((r) => `${r.symbol}/${r.exchange}/${r.timeframe}`);
    expect(keys).toContain('SOLUSDT/binance/1h');
    expect(keys).not.toContain('SOLUSDT/binance/4h');
    const sol = rows.find((r) => r.symbol === 'SOLUSDT' && r.timeframe === '1h')!;
    // Ranges 2, 4, 6 in the last 24 h; plus 8, 10 in 7 days; 20 (10 days ago) outside.
    expect(num(sol.volatility24h)).toBeCloseTo(2, 12);
    expect(num(sol.volatility7d)).toBeCloseTo(Math.sqrt(10), 12);
    expect(num(sol.avgRange24h)).toBeCloseTo(4, 12);
    expect(num(sol.avgRange7d)).toBeCloseTo(6, 12);
    expect(num(sol.avgVolume24h)).toBeCloseTo(20, 12);
    expect(num(sol.maxVolume24h)).toBe(30);
    // Newest close 103 against the open (100) of the first candle in 24 h.
    expect(num(sol.priceChange24h)).toBeCloseTo(3, 12);
    expect(sol.lastUpdate).toEqual(new Date(now.getTime() - HOUR));
    // ETH's daily candles: one candle in 24 h at most, so no standard deviation over 24 h.
    const eth = rows.find((r) => r.symbol === 'ETHUSDT')!;
    expect(eth.volatility24h).toBeNull();
  });

  it('v_market_correlation: per UTC day, daily close change, mean funding and the first fear & greed reading', async () => {
    // Days must not follow the session TimeZone.
    const rows = await target.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL TimeZone = 'America/New_York'`);
      return tx
        .select()
        .from(vMarketCorrelation)
        .where(eq(vMarketCorrelation.symbol, 'XRPUSDT'))
        .orderBy(asc(vMarketCorrelation.date));
    });
    expect(rows.map((r) => [r.exchange, r.date, num(r.priceChange), num(r.avgFundingRate), r.fearGreedValue])).toEqual([
      // Day -2: no close the day before.
      ['binance', isoDay(utcDay(now, -2)), null, null, null],
      // Day -1: 12.5 (15m candle closing last) − 10 (the '1d' candle, not the tied '1h' 10.5).
      ['binance', isoDay(utcDay(now, -1)), 2.5, 0.0002, 30],
      ['binance', isoDay(utcDay(now)), 0.5, null, 72],
    ]);
    expect(num(rows[1]!.avgFundingRate)).toBeCloseTo(0.0002, 12);
    const all = await target.db.select().from(vMarketCorrelation).orderBy(desc(vMarketCorrelation.date));
    const oldest = isoDay(utcDay(now, -29));
    expect(all.every((r) => r.date >= oldest)).toBe(true);
  });
});
