/**
 * The demo's trading session over three UTC days: day 1 and day 2 are the
 * two days before today, day 3 is today's first hour (00:00-00:59 UTC), so
 * v_risk_summary's "today" (the current UTC day) has a row. Every event
 * happens at a fixed time of day and every price comes from a seeded walk:
 * two runs print the same figures, only the dates differ.
 *
 * Story: analyses lead to decisions (some vetoed by the LLM); a 10x ETH long
 * without a stop is liquidated in the day-2 crash, the daily loss trips a
 * circuit breaker (manual review), isTradingAllowed() blocks the next
 * entries, and an operator resolves the breaker today.
 */
import type { Db } from '../src/db.ts';
import {
  calculateDailyPnl,
  calculatePositionPnl,
  getLatestOhlcvPrice,
  isTradingAllowed,
} from '../src/functions/index.ts';
import { upsertCandles } from '../src/ingest/upsert-candles.ts';
import {
  circuitBreakerEvents,
  fearGreedIndex,
  fundingRates,
  positions,
  systemEvents,
  type CircuitBreakerEvent,
} from '../src/schema/index.ts';
import {
  circuitBreakerEventsInsertSchema,
  fearGreedIndexInsertSchema,
  fundingRatesInsertSchema,
  positionsInsertSchema,
  systemEventsInsertSchema,
} from '../src/validation/index.ts';
import { analyse, decide, type Round } from './analysis.ts';
import { broker, usd, type Exit } from './broker.ts';
import { buildMarket, SYMBOLS, type Candle } from './market.ts';
import { hhmm, num, progress, say, section, utc } from './print.ts';
import { store } from './store.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Margin per new position, as a share of the wallet balance. */
const MARGIN_SHARE = 0.08;
/** The daily loss, as a share of the day's starting balance, that trips the breaker. */
const DAILY_LOSS_LIMIT = 0.03;

/** Decision rounds: what each analysis says; the engine in analysis.ts decides. */
const ROUNDS: Round[] = [
  { day: 0, time: '02:00', symbol: 'BTCUSDT', tech: ['bullish', 0.72], llm: ['bullish', 0.81], ml: ['long', 0.74] },
  { day: 0, time: '02:00', symbol: 'ETHUSDT', tech: ['neutral', 0.55], llm: ['neutral', 0.6], ml: ['hold', 0.62] },
  { day: 0, time: '08:00', symbol: 'ETHUSDT', tech: ['bullish', 0.68], llm: ['bearish', 0.78], ml: ['long', 0.66] },
  { day: 0, time: '14:00', symbol: 'BTCUSDT', tech: ['bearish', 0.64], llm: ['neutral', 0.58], ml: ['close', 0.71] },
  { day: 0, time: '14:00', symbol: 'ETHUSDT', tech: ['bearish', 0.7], llm: ['bearish', 0.74], ml: ['short', 0.69] },
  {
    day: 0,
    time: '20:00',
    symbol: 'BTCUSDT',
    tech: ['neutral', 0.52],
    llm: ['neutral', 0.55],
    ml: ['hold', 0.6],
    cached: true,
  },
  { day: 0, time: '20:00', symbol: 'ETHUSDT', tech: ['bullish', 0.66], llm: ['bullish', 0.62], ml: ['close', 0.7] },
  { day: 1, time: '02:00', symbol: 'BTCUSDT', tech: ['bearish', 0.73], llm: ['bearish', 0.77], ml: ['short', 0.75] },
  { day: 1, time: '08:00', symbol: 'ETHUSDT', tech: ['bullish', 0.81], llm: ['bullish', 0.79], ml: ['long', 0.88] },
  { day: 1, time: '14:00', symbol: 'BTCUSDT', tech: ['bullish', 0.61], llm: ['neutral', 0.55], ml: ['close', 0.72] },
  { day: 1, time: '20:00', symbol: 'BTCUSDT', tech: ['bullish', 0.7], llm: ['bullish', 0.72], ml: ['long', 0.76] },
  { day: 1, time: '20:00', symbol: 'ETHUSDT', tech: ['bullish', 0.63], llm: ['uncertain', 0.5], ml: ['long', 0.66] },
  { day: 2, time: '00:15', symbol: 'BTCUSDT', tech: ['bullish', 0.74], llm: ['bullish', 0.76], ml: ['long', 0.79] },
  { day: 2, time: '00:30', symbol: 'ETHUSDT', tech: ['bearish', 0.77], llm: ['bearish', 0.8], ml: ['short', 0.87] },
  { day: 2, time: '00:45', symbol: 'BTCUSDT', tech: ['neutral', 0.58], llm: ['neutral', 0.6], ml: ['close', 0.7] },
];

const DAY_NAMES = ['day before yesterday', 'yesterday', 'today'];
type Event = { at: Date; run: () => Promise<void> };

/** Plays the session; returns the three UTC days ("YYYY-MM-DD"). */
export async function playSession(db: Db, today: Date): Promise<string[]> {
  const day1 = new Date(today.getTime() - 2 * DAY);
  const at = (day: number, time: string) =>
    new Date(day1.getTime() + day * DAY + Number(time.slice(0, 2)) * HOUR + Number(time.slice(3, 5)) * 60_000);
  const days = [0, 1, 2].map((d) => at(d, '00:00').toISOString().slice(0, 10));
  const market = buildMarket(day1);
  const rows = store(db);
  const account = broker(rows, market, 1_000_000);
  let maxLeverage = 10;
  let breaker: CircuitBreakerEvent | undefined;

  section(`Market data: ${days[0]} 00:00 to ${days[2]} 00:59 UTC`);
  const hourly = SYMBOLS.flatMap((s) => market.hourly[s]);
  const candles = [...hourly, ...SYMBOLS.flatMap((s) => market.minutes[s])];
  const toOhlcv = ({ takerBuyVolume, takerBuyQuoteVolume, isComplete, hasGaps, dataSource, ...c }: Candle) => c;
  const total = candles.length + hourly.length;
  const tick = progress('candles (ohlcv_data 1h + 1m, ohlcv 1h) through upsertCandles', total);
  let done = 0;
  // upsertCandles validates through ohlcvDataInsertSchema / ohlcvInsertSchema itself; chunks only pace the progress line.
  for (let i = 0; i < candles.length; i += 40) {
    const batch = candles.slice(i, i + 40);
    await upsertCandles(db, batch, { table: 'ohlcv_data' });
    tick((done += batch.length));
  }
  for (let i = 0; i < hourly.length; i += 40) {
    const batch = hourly.slice(i, i + 40).map(toOhlcv);
    await upsertCandles(db, batch, { table: 'ohlcv' });
    tick((done += batch.length));
  }
  await rows.insert(fundingRates, fundingRatesInsertSchema, market.funding);
  const readings = await rows.insert(fearGreedIndex, fearGreedIndexInsertSchema, market.fearGreed);
  say(
    `   funding rates: ${market.funding.length} (every 8 h); fear & greed: ${readings.map((r) => `${r.value} ${r.classification}`).join(', ')}` +
      ' (classification set by trigger)',
  );

  const guardLine = async (symbol?: string) => {
    const g = await isTradingAllowed(db, { symbol });
    say(
      `          isTradingAllowed(${symbol ? `'${symbol}'` : ''}) → ${g.allowed}: "${g.reason}"` +
        (g.allowed ? '' : g.cooldownExpires ? ` until ${utc(g.cooldownExpires)}` : ' (until resolved by hand)'),
    );
  };

  const reportExit = async (exit: Exit) => {
    const h = exit.holding;
    const what = exit.kind === 'liquidated' ? 'LIQUIDATED' : exit.kind === 'stop_loss' ? 'STOP-LOSS filled' : 'closed';
    // A signal close was already printed by decide(); stops and liquidations happen between rounds.
    if (exit.kind !== 'close')
      say(
        `   ${hhmm(exit.at)} ${h.symbol}  ${what} ${h.side} ${h.leverage}x @ ${num(exit.price)}: realized ` +
          `${num(exit.realizedCents / 100, 2, true)} USDT (${num((exit.realizedCents / h.marginCents) * 100, 1, true)} % on margin)`,
      );
    if (exit.kind !== 'liquidated') return;
    // The bot's risk check after a loss: today's figures so far, from the database.
    const day = exit.at.toISOString().slice(0, 10);
    const pnl = await calculateDailyPnl(db, day);
    const lossShare = -Number(pnl.realizedPnl) / Number(pnl.balanceStart);
    say(
      `          calculateDailyPnl('${day}') → realized ${num(pnl.realizedPnl, 2, true)} USDT = ` +
        `${num(-lossShare * 100, 2)} % of the day's starting balance ${num(pnl.balanceStart)} (limit -${DAILY_LOSS_LIMIT * 100} %)`,
    );
    if (lossShare < DAILY_LOSS_LIMIT) return;
    breaker = await rows.insertOne(circuitBreakerEvents, circuitBreakerEventsInsertSchema, {
      triggeredAt: new Date(exit.at.getTime() + 60_000),
      triggerType: 'max_daily_loss',
      severity: 'critical',
      reason: `Daily loss ${num(lossShare * 100, 2)} % exceeds the ${DAILY_LOSS_LIMIT * 100} % limit (liquidation on ${h.symbol})`,
      thresholdValue: usd(-Math.round(Number(pnl.balanceStart) * DAILY_LOSS_LIMIT * 100)),
      actualValue: pnl.realizedPnl,
      dailyPnl: pnl.realizedPnl,
      drawdownPct: pnl.maxDrawdownPct,
      openPositions: account.open.size,
      accountBalance: usd(account.balance()),
      cooldownHours: null,
      contextJson: {
        trigger: h.trade.tradeId,
        leverage: h.leverage,
        stopLoss: h.stopLoss,
        note: 'manual review required',
      },
    });
    await rows.insertOne(systemEvents, systemEventsInsertSchema, {
      eventType: 'circuit_breaker_triggered',
      severity: 'critical',
      message: breaker.reason,
      details: { breakerId: breaker.id, triggerType: breaker.triggerType },
      createdAt: breaker.triggeredAt,
    });
    say(
      `   ${hhmm(breaker.triggeredAt)} CIRCUIT BREAKER #${breaker.id} (max_daily_loss, critical, no cooldown: manual review)`,
    );
    await guardLine();
    await guardLine('BTCUSDT');
  };

  const events: Event[] = [];
  // Account snapshots every 2 hours on the past days, every 20 minutes today.
  for (let h = 0; h < 48; h += 2) {
    const t = new Date(day1.getTime() + h * HOUR);
    events.push({
      at: t,
      run: async () => {
        await account.snapshot(t);
      },
    });
  }
  for (const time of ['00:00', '00:20', '00:40'])
    events.push({
      at: at(2, time),
      run: async () => {
        await account.snapshot(at(2, time));
      },
    });
  for (const r of ROUNDS) {
    const t = at(r.day, r.time);
    events.push({
      at: t,
      run: async () => {
        const a = await analyse(rows, market, r, t);
        await decide(db, rows, account, a, { at: t, maxLeverage, marginShare: MARGIN_SHARE, onExit: reportExit });
      },
    });
  }
  events.push({
    at: at(2, '00:05'),
    run: async () => {
      if (!breaker) return;
      const t = at(2, '00:05');
      breaker = await rows.update(circuitBreakerEvents, circuitBreakerEventsInsertSchema, breaker, {
        status: 'resolved',
        resolvedAt: t,
        resolvedBy: 'risk-desk',
        resolutionReason:
          'Reviewed the liquidation: 10x without a stop-loss. Max leverage cut to 3x; stops are mandatory.',
      });
      maxLeverage = 3;
      await rows.insertOne(systemEvents, systemEventsInsertSchema, {
        eventType: 'circuit_breaker_resolved',
        severity: 'info',
        message: breaker.resolutionReason!,
        details: { breakerId: breaker.id },
        createdAt: t,
      });
      say(`   00:05 operator resolves breaker #${breaker.id}: "${breaker.resolutionReason}"`);
      await guardLine();
    },
  });
  events.push({
    at: at(2, '00:59'),
    run: async () => {
      // Mark open positions to the latest 1m close, with the database's own P&L formula.
      let unrealized = 0;
      for (const h of account.open.values()) {
        const price = (await getLatestOhlcvPrice(db, { symbol: h.symbol, timeframe: '1m' }))!;
        const pnl = (await calculatePositionPnl(db, { positionId: h.position.id, currentPrice: price }))!;
        h.position = await rows.update(positions, positionsInsertSchema, h.position, {
          currentPrice: price,
          unrealizedPnl: pnl.unrealizedPnl,
          unrealizedPnlPct: pnl.unrealizedPnlPct,
        });
        unrealized += Math.round(Number(pnl.unrealizedPnl) * 100);
        say(
          `   00:59 ${h.symbol}  still open: ${h.side} ${h.leverage}x, mark ${num(price)} (getLatestOhlcvPrice), ` +
            `unrealized ${num(pnl.unrealizedPnl, 2, true)} USDT = ${num(pnl.unrealizedPnlPct, 2, true)} % (calculatePositionPnl)`,
        );
      }
      await account.snapshot(at(2, '00:59'), unrealized);
    },
  });
  events.sort((a, b) => a.at.getTime() - b.at.getTime());

  let currentDay = -1;
  for (const e of events) {
    for (const exit of await account.exitsBefore(e.at)) await reportExit(exit);
    const day = Math.floor((e.at.getTime() - day1.getTime()) / DAY);
    if (day !== currentDay) {
      currentDay = day;
      section(`Day ${day + 1}: ${days[day]} (${DAY_NAMES[day]}), balance ${num(account.balance() / 100)} USDT`);
    }
    await e.run();
  }
  return days;
}
