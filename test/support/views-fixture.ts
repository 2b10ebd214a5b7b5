/**
 * A small data set that gives every view of SPEC section 4 rows to check,
 * placed relative to `now` (the views read now()). Each view's concern uses
 * its own symbols, so assertions on one view do not depend on another's rows.
 * Columns that triggers derive (fear & greed classification, funding bps and
 * annualized rate, breaker cooldown expiry) are written with the values the
 * triggers compute, so the fixture holds with or without them.
 */
import type { Db } from '../../src/db.ts';
import * as t from '../../src/schema/index.ts';
import { ensureTestMonths } from './test-months.ts';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

/** 00:00 UTC of the UTC day `offset` days from `now`'s. */
export const utcDay = (now: Date, offset = 0) =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + offset));
export const isoDay = (d: Date) => d.toISOString().slice(0, 10);

type NewBreaker = typeof t.circuitBreakerEvents.$inferInsert;

/** A breaker with the cooldown expiry the trigger derives (written too, so the case holds either way). */
export const breaker = (
  reason: string,
  triggeredAt: Date,
  cooldownHours: number | null,
  extra: Partial<NewBreaker> = {},
): NewBreaker => ({
  reason,
  triggerType: 'max_daily_loss',
  triggeredAt,
  cooldownHours: cooldownHours === null ? null : cooldownHours.toFixed(2),
  cooldownExpiresAt: cooldownHours === null ? null : new Date(triggeredAt.getTime() + cooldownHours * HOUR),
  ...extra,
});

type Candle = typeof t.ohlcvData.$inferInsert;
/** A candle opening at `at`; a flat one unless `low`/`high`/`open` are given. */
function candle(
  symbol: string,
  exchange: string,
  timeframe: Candle['timeframe'],
  at: Date,
  close: string,
  extra: Partial<Pick<Candle, 'open' | 'high' | 'low' | 'volume'>> = {},
): Candle {
  return {
    symbol,
    exchange,
    timeframe,
    timestamp: at,
    open: close,
    high: close,
    low: close,
    close,
    volume: '1',
    ...extra,
  };
}

export async function loadViewFixture(db: Db, now: Date) {
  const ago = (ms: number) => new Date(now.getTime() - ms);
  const day = (offset: number, ms = 0) => new Date(utcDay(now, offset).getTime() + ms);
  // Plain inserts reach back about a month: that month needs its partitions on any database, not only the template.
  await ensureTestMonths(db);

  // ---- trades and positions -------------------------------------------------
  const [openTrade] = await db
    .insert(t.trades)
    .values({
      tradeId: 'T-open',
      symbol: 'BTCUSDT',
      exchange: 'binance',
      side: 'long',
      action: 'open',
      entryPrice: '100',
      quantity: '0.5',
      signalScore: '0.8',
      technicalScore: '0.7',
      llmScore: '0.6',
      entryTime: ago(2 * HOUR),
    })
    .returning();
  const btcEntry = ago(90 * MIN + 20_000);
  await db.insert(t.positions).values([
    {
      symbol: 'BTCUSDT',
      exchange: 'binance',
      side: 'long',
      entryPrice: '100',
      quantity: '0.5',
      margin: '50',
      leverage: '2',
      currentPrice: '104',
      unrealizedPnl: '2',
      unrealizedPnlPct: '8',
      stopLoss: '95',
      tradeId: 'T-open',
      entryTime: btcEntry,
    },
    {
      symbol: 'ETHUSDT',
      exchange: 'binance',
      side: 'short',
      entryPrice: '2000',
      quantity: '1',
      margin: '400',
      entryTime: ago(10 * MIN + 5_000),
    },
    {
      symbol: 'BTCUSDT',
      exchange: 'binance',
      side: 'long',
      entryPrice: '90',
      quantity: '1',
      margin: '90',
      status: 'closed',
      entryTime: ago(3 * DAY),
    },
  ]);

  // 105 closed trades: exit i+1 minutes ago, held i minutes and 29 s (even i) or 30 s (odd i); every tenth liquidated.
  const recent = Array.from({ length: 105 }, (_, i) => {
    const exitTime = ago((i + 1) * MIN);
    return {
      tradeId: `R-${i}`,
      symbol: 'LTCUSDT',
      exchange: 'binance',
      side: i % 2 ? ('short' as const) : ('long' as const),
      action: i % 10 === 0 ? ('liquidated' as const) : ('close' as const),
      entryPrice: '50',
      exitPrice: '51',
      quantity: '2',
      realizedPnl: i % 2 ? '-2' : '2',
      realizedPnlPct: i % 2 ? '-2' : '2',
      exitTime,
      entryTime: new Date(exitTime.getTime() - i * MIN - (i % 2 ? 30_000 : 29_000)),
    };
  });
  await db.insert(t.trades).values(recent);

  // ---- decisions and their outcomes ------------------------------------------
  const [signal] = await db
    .insert(t.technicalSignals)
    .values({
      symbol: 'BTCUSDT',
      timestamp: ago(11 * DAY),
      overallSignal: 'bullish',
      confidence: '0.75',
      bullishCount: 5,
      bearishCount: 1,
      indicatorsJson: { rsi: 61.2 },
    })
    .returning();
  const [analysis] = await db
    .insert(t.llmAnalyses)
    .values({
      symbol: 'BTCUSDT',
      timestamp: ago(11 * DAY),
      sentiment: 'bullish',
      confidence: '0.8',
      summary: 'Uptrend intact',
      model: 'gpt-x',
      cached: true,
    })
    .returning();
  const [prediction] = await db
    .insert(t.mlPredictions)
    .values({
      symbol: 'BTCUSDT',
      timestamp: ago(11 * DAY),
      action: 'long',
      confidence: '0.7',
      probLong: '0.7',
      probShort: '0.2',
      probHold: '0.1',
      modelVersion: 'xgb-1',
    })
    .returning();
  const outcome = (tradeId: string, realizedPnl: string | null) => ({
    tradeId,
    symbol: 'BTCUSDT',
    exchange: 'binance',
    side: 'long' as const,
    action: realizedPnl === null ? ('open' as const) : ('close' as const),
    entryPrice: '100',
    quantity: '1',
    entryTime: ago(10 * DAY + HOUR),
    realizedPnl,
    realizedPnlPct: realizedPnl,
    ...(realizedPnl === null ? {} : { exitPrice: '101', exitTime: ago(10 * DAY) }),
  });
  const outcomes = await db
    .insert(t.trades)
    .values([outcome('A-win', '10'), outcome('A-loss', '-5'), outcome('A-flat', '0'), outcome('A-open', null)])
    .returning();
  const orders = await db
    .insert(t.orders)
    .values(
      [...outcomes, outcomes[0]!].map((trade, i) => ({
        clientOrderId: `O-${i}`,
        symbol: 'BTCUSDT',
        exchange: 'binance',
        side: 'buy' as const,
        orderType: 'market' as const,
        quantity: '1',
        tradeId: trade.id,
      })),
    )
    .returning();
  const decisionAt = ago(10 * DAY + 2 * HOUR);
  const decision = (i: number, executed: boolean) => ({
    symbol: 'BTCUSDT',
    timestamp: new Date(decisionAt.getTime() + i * MIN),
    action: 'long' as const,
    confidence: '0.72',
    entryPrice: String(100 + i),
    reasonsJson: { step: i },
    orderId: orders[i]!.id,
    executed,
    ...(executed ? { executedAt: new Date(decisionAt.getTime() + i * MIN + 1000), executionPrice: '100.5' } : {}),
  });
  const decisions = await db
    .insert(t.tradingDecisions)
    .values([
      {
        ...decision(0, true),
        technicalSignalId: signal!.id,
        llmAnalysisId: analysis!.id,
        mlPredictionId: prediction!.id,
      },
      decision(1, true),
      decision(2, true),
      decision(3, true),
      decision(4, false),
      // Same instant as the one before: the view breaks the tie by id.
      {
        symbol: 'ETHUSDT',
        timestamp: new Date(decisionAt.getTime() + 4 * MIN),
        action: 'vetoed' as const,
        confidence: '0.55',
        vetoed: true,
        vetoReason: 'Funding too high',
        vetoSource: 'risk',
        reasonsJson: ['funding'],
      },
    ])
    .returning();

  // ---- risk -------------------------------------------------------------------
  await db
    .insert(t.circuitBreakerEvents)
    .values([
      breaker('Old, resolved', ago(5 * HOUR), 1, { status: 'resolved', resolvedAt: ago(4 * HOUR) }),
      breaker('Cooldown over', ago(3 * HOUR), 1),
      breaker('Daily loss limit', ago(30 * MIN), 2),
      breaker('Manual halt', ago(20 * MIN), null, { triggerType: 'manual' }),
      breaker('SOL rapid loss', ago(10 * MIN), 1, { triggerType: 'rapid_loss', symbol: 'SOLUSDT' }),
    ]);
  const killSwitch = (reason: string, activatedAt: Date, active: boolean) => ({
    reason,
    triggerSource: 'manual' as const,
    activatedBy: 'ops',
    activatedAt,
    ...(active
      ? {}
      : { status: 'deactivated' as const, deactivatedAt: new Date(activatedAt.getTime() + MIN), deactivatedBy: 'ops' }),
  });
  await db
    .insert(t.killSwitchEvents)
    .values([
      killSwitch('Exchange outage', ago(2 * DAY), false),
      killSwitch('Security alert', ago(DAY), true),
      killSwitch('Drill', ago(HOUR), false),
    ]);
  // Self-consistent rows (the daily_pnl CHECKs): ten trades when there is a win rate.
  const pnlDay = (offset: number, totalPnl: string, winRate: string | null) => {
    const wins = winRate === null ? 0 : Number(winRate) / 10,
      losses = winRate === null ? 0 : 10 - wins;
    return {
      date: isoDay(utcDay(now, offset)),
      totalPnl,
      realizedPnl: totalPnl,
      winRate,
      grossProfit: Number(totalPnl) > 0 ? totalPnl : '0',
      grossLoss: Number(totalPnl) < 0 ? totalPnl.slice(1) : '0',
      totalTrades: wins + losses,
      winningTrades: wins,
      losingTrades: losses,
      longestWinStreak: Math.min(wins, 1),
      longestLossStreak: Math.min(losses, 1),
      balanceStart: '10000',
      balanceEnd: (10000 + Number(totalPnl)).toFixed(8),
    };
  };
  await db
    .insert(t.dailyPnl)
    .values([
      pnlDay(0, '150', '60'),
      pnlDay(-1, '-50', '40'),
      pnlDay(-6, '20', null),
      pnlDay(-7, '1000', '100'),
      pnlDay(1, '999', '0'),
    ]);

  // ---- market data ----------------------------------------------------------------
  await db.insert(t.ohlcvData).values([
    // Summary: BTC on two exchanges, ETH daily.
    candle('BTCUSDT', 'binance', '1h', ago(3 * HOUR), '98'),
    candle('BTCUSDT', 'binance', '1h', ago(2 * HOUR), '99'),
    candle('BTCUSDT', 'binance', '1h', ago(HOUR), '105', { open: '100', low: '100', high: '106', volume: '12.5' }),
    candle('BTCUSDT', 'bybit', '1h', ago(HOUR), '104', { open: '105', high: '105', volume: '3' }),
    candle('ETHUSDT', 'binance', '1d', day(-2), '2000'),
    candle('ETHUSDT', 'binance', '1d', day(-1), '2100'),
    // Volatility: SOL 1h, ranges (high - low) / open * 100 = 2, 4, 6 in 24 h; 8, 10 within 7 days; 20 older.
    candle('SOLUSDT', 'binance', '1h', ago(3 * HOUR), '100.5', { open: '100', low: '99', high: '101', volume: '10' }),
    candle('SOLUSDT', 'binance', '1h', ago(2 * HOUR), '101', { open: '100', low: '98', high: '102', volume: '20' }),
    candle('SOLUSDT', 'binance', '1h', ago(HOUR), '103', { open: '100', low: '97', high: '103', volume: '30' }),
    candle('SOLUSDT', 'binance', '1h', ago(3 * DAY), '100', { open: '100', low: '96', high: '104', volume: '500' }),
    candle('SOLUSDT', 'binance', '1h', ago(5 * DAY), '100', { open: '100', low: '95', high: '105', volume: '500' }),
    candle('SOLUSDT', 'binance', '1h', ago(10 * DAY), '100', { open: '100', low: '90', high: '110', volume: '500' }),
    // A series silent for 40 days: in the summary, not in the volatility view.
    candle('SOLUSDT', 'binance', '4h', ago(40 * DAY), '80'),
    // Correlation: XRP daily closes 10 (day -2, the '1d' candle beats the tied last '1h' one),
    // 12.5 (day -1, the 15m candle closes last), 13 (today); the weekly candle is ignored.
    candle('XRPUSDT', 'binance', '1d', day(-2), '10'),
    candle('XRPUSDT', 'binance', '1h', day(-2, 23 * HOUR), '10.5'),
    candle('XRPUSDT', 'binance', '1h', day(-1, 5 * HOUR), '11'),
    candle('XRPUSDT', 'binance', '1h', day(-1, 20 * HOUR), '12'),
    candle('XRPUSDT', 'binance', '15m', day(-1, 21 * HOUR), '12.5'),
    candle('XRPUSDT', 'binance', '1w', day(-1), '99'),
    candle('XRPUSDT', 'binance', '1h', day(0), '13'),
    candle('XRPUSDT', 'binance', '1h', day(-40), '1'),
  ]);
  await db.insert(t.fearGreedIndex).values([
    { timestamp: day(-1, 8 * HOUR), value: 30, classification: 'fear' },
    { timestamp: day(-1, 16 * HOUR), value: 60, classification: 'greed' },
    { timestamp: day(0), value: 72, classification: 'greed' },
  ]);
  const funding = (symbol: string, exchange: string, timestamp: Date, rate: string) => ({
    symbol,
    exchange,
    timestamp,
    rate,
    rateBps: (Number(rate) * 10_000).toFixed(4),
    annualizedRate: (Number(rate) * 3 * 365).toFixed(6),
  });
  await db.insert(t.fundingRates).values([
    funding('BTCUSDT', 'binance', ago(16 * HOUR), '0.0001'),
    funding('BTCUSDT', 'binance', ago(8 * HOUR), '0.0002'),
    funding('ETHUSDT', 'binance', ago(40 * DAY), '0.0003'),
    // Funding analysis: ADA on binance.
    funding('ADAUSDT', 'binance', ago(HOUR), '0.0008'),
    funding('ADAUSDT', 'binance', ago(9 * HOUR), '-0.0002'),
    funding('ADAUSDT', 'binance', ago(3 * DAY), '0.0006'),
    funding('ADAUSDT', 'binance', ago(4 * DAY), '0.0005'),
    funding('ADAUSDT', 'binance', ago(4 * DAY + HOUR), '-0.0005'),
    funding('ADAUSDT', 'binance', ago(5 * DAY), '-0.0007'),
    funding('ADAUSDT', 'binance', ago(6 * DAY), '-0.0009'),
    funding('ADAUSDT', 'binance', ago(20 * DAY), '0.001'),
    funding('ADAUSDT', 'binance', ago(40 * DAY), '0.002'),
    funding('DOTUSDT', 'binance', ago(40 * DAY), '0.0001'),
    // Correlation: XRP funding on day -1 (two readings) and on another exchange.
    funding('XRPUSDT', 'binance', day(-1, 8 * HOUR), '0.0001'),
    funding('XRPUSDT', 'binance', day(-1, 16 * HOUR), '0.0003'),
    funding('XRPUSDT', 'bybit', day(-1, 8 * HOUR), '0.005'),
  ]);

  return {
    openTrade: openTrade!,
    btcEntry,
    recent,
    outcomes,
    decisions,
    signal: signal!,
    analysis: analysis!,
    prediction: prediction!,
  };
}

export type ViewFixture = Awaited<ReturnType<typeof loadViewFixture>>;
