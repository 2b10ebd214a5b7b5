/**
 * The demo's market: a seeded random walk with a scripted story (a rally on
 * day 1, a sharp ETH crash on the afternoon of day 2, a quiet start today),
 * so every run produces the same prices, candles, funding rates and fear &
 * greed readings. Only the calendar dates move with the current day.
 */
import type { NewFearGreedIndex, NewFundingRate, NewOhlcvData } from '../src/schema/index.ts';

export const SYMBOLS = ['BTCUSDT', 'ETHUSDT'] as const;
export type Pair = (typeof SYMBOLS)[number];

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** mulberry32: a tiny seeded PRNG, enough for a reproducible demo. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  return { next, gaussian, between: (lo: number, hi: number) => lo + (hi - lo) * next() };
}

export const fixed = (x: number, digits: number) => x.toFixed(digits);

interface Profile {
  start: number;
  hourlyVol: number;
  baseVolume: number;
}
const PROFILE: Record<Pair, Profile> = {
  BTCUSDT: { start: 67_850, hourlyVol: 0.003, baseVolume: 420 },
  ETHUSDT: { start: 3_512, hourlyVol: 0.0045, baseVolume: 8_600 },
};

/**
 * Scripted drift per hour of the two past days (h = 0..47 from day 1 00:00
 * UTC), as a fraction per hour: the story the analyses then react to.
 */
function hourlyDrift(symbol: Pair, h: number): number {
  if (symbol === 'BTCUSDT') {
    if (h < 14) return 0.002; // day 1 morning rally
    if (h >= 26 && h < 37) return -0.0025; // day 2 morning slide
    if (h === 37) return -0.015; // day 2 13:00 sell-off
    if (h === 38) return -0.02;
    if (h > 38) return 0.001; // evening rebound
    return 0;
  }
  if (h >= 14 && h < 20) return 0.001; // day 1 afternoon grind up
  if (h >= 32 && h < 37) return 0.001; // crowded longs before the crash
  if (h === 37) return -0.055; // day 2 13:00: the crash
  if (h === 38) return -0.065;
  if (h > 38) return -0.001;
  return 0;
}

export interface Candle extends NewOhlcvData {
  timeframe: '1h' | '1m';
  symbol: Pair;
  exchange: string;
  timestamp: Date;
}

interface Bar {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

function bar(rand: ReturnType<typeof prng>, open: number, drift: number, vol: number, volume: number): Bar {
  const close = Math.round(open * (1 + drift + vol * rand.gaussian()) * 100) / 100;
  const wick = () => Math.abs(rand.gaussian()) * vol * 0.6;
  const high = Math.round(Math.max(open, close) * (1 + wick()) * 100) / 100;
  const low = Math.round(Math.min(open, close) * (1 - wick()) * 100) / 100;
  return { open, high, low, close, volume };
}

function toCandle(
  symbol: Pair,
  timeframe: '1h' | '1m',
  timestamp: Date,
  b: Bar,
  rand: ReturnType<typeof prng>,
): Candle {
  const volume = Math.round(b.volume * 1000) / 1000;
  const mid = (b.open + b.close) / 2;
  return {
    symbol,
    timeframe,
    timestamp,
    exchange: 'binance',
    dataSource: 'demo',
    open: fixed(b.open, 2),
    high: fixed(b.high, 2),
    low: fixed(b.low, 2),
    close: fixed(b.close, 2),
    volume: fixed(volume, 3),
    quoteVolume: fixed(volume * mid, 2),
    takerBuyVolume: fixed(Math.floor(volume * rand.between(0.42, 0.58) * 1000) / 1000, 3),
    tradesCount: Math.round(volume * rand.between(40, 60)),
    isComplete: true,
    hasGaps: false,
  };
}

export interface Market {
  /** 1h candles from day 1 00:00 to today 00:00 (the last aggregated from today's 1m candles). */
  hourly: Record<Pair, Candle[]>;
  /** 1m candles for today 00:00-00:59. */
  minutes: Record<Pair, Candle[]>;
  funding: NewFundingRate[];
  fearGreed: NewFearGreedIndex[];
  /** The price at instant t: the open of the candle starting at t (1m today, else 1h). */
  priceAt(symbol: Pair, t: Date): number;
  /** Candles (1h, then today's 1m) overlapping [from, to), oldest first. */
  candlesBetween(symbol: Pair, from: Date, to: Date): Candle[];
}

/** Builds the whole market from `day1`, the first of the three UTC days. */
export function buildMarket(day1: Date, seed = 20_240_611): Market {
  const rand = prng(seed);
  const hourly = {} as Market['hourly'];
  const minutes = {} as Market['minutes'];
  for (const symbol of SYMBOLS) {
    const p = PROFILE[symbol];
    const hours: Candle[] = [];
    let price = p.start;
    for (let h = 0; h < 48; h++) {
      const shock = h === 37 || h === 38 ? 4 : 1;
      const b = bar(
        rand,
        price,
        hourlyDrift(symbol, h),
        p.hourlyVol * (shock > 1 ? 1.5 : 1),
        p.baseVolume * shock * rand.between(0.7, 1.3),
      );
      hours.push(toCandle(symbol, '1h', new Date(day1.getTime() + h * HOUR), b, rand));
      price = b.close;
    }
    const today = new Date(day1.getTime() + 48 * HOUR);
    const mins: Candle[] = [];
    const bars: Bar[] = [];
    // Today: BTC edges up, ETH keeps bleeding slowly.
    const drift = symbol === 'BTCUSDT' ? 0.0001 : -0.00006;
    for (let m = 0; m < 60; m++) {
      const b = bar(rand, price, drift, p.hourlyVol / Math.sqrt(60), (p.baseVolume / 60) * rand.between(0.6, 1.4));
      bars.push(b);
      mins.push(toCandle(symbol, '1m', new Date(today.getTime() + m * MINUTE), b, rand));
      price = b.close;
    }
    const hourBar: Bar = {
      open: bars[0]!.open,
      close: bars.at(-1)!.close,
      high: Math.max(...bars.map((b) => b.high)),
      low: Math.min(...bars.map((b) => b.low)),
      volume: bars.reduce((s, b) => s + b.volume, 0),
    };
    hours.push(toCandle(symbol, '1h', today, hourBar, rand));
    hourly[symbol] = hours;
    minutes[symbol] = mins;
  }

  const funding: NewFundingRate[] = [];
  for (let h = 0; h <= 48; h += 8) {
    const timestamp = new Date(day1.getTime() + h * HOUR);
    for (const symbol of SYMBOLS) {
      // ETH funding runs hot while longs crowd in, then flips negative after the crash.
      const base = symbol === 'BTCUSDT' ? 0.0001 : h < 24 ? 0.00018 : h < 37 ? 0.00062 : -0.00034;
      const rate = Math.round((base + rand.gaussian() * 0.00002) * 1e8) / 1e8;
      const mark = Number(hourly[symbol][Math.min(h, 48)]!.open);
      const index = Math.round((mark / (1 + rate * 0.8)) * 100) / 100;
      funding.push({
        symbol,
        timestamp,
        rate: fixed(rate, 8),
        markPrice: fixed(mark, 2),
        indexPrice: fixed(index, 2),
        predictedRate: fixed(rate * 0.9, 8),
        fundingIntervalHours: 8,
        exchange: 'binance',
      });
    }
  }

  // One reading per UTC day at 00:00; classification is left to the trigger.
  const readings = [56, 44, 22];
  const fearGreed: NewFearGreedIndex[] = readings.map((value, d) => ({
    timestamp: new Date(day1.getTime() + d * 24 * HOUR),
    value,
    valueYesterday: d ? readings[d - 1]! : 61,
    valueLastWeek: 63,
    valueLastMonth: 58,
    volatilityScore: [48, 37, 15][d]!,
    marketMomentumScore: [60, 45, 20][d]!,
    socialMediaScore: [55, 41, 26][d]!,
    dataSource: 'alternative.me',
  }));

  const todayStart = day1.getTime() + 48 * HOUR;
  return {
    hourly,
    minutes,
    funding,
    fearGreed,
    priceAt(symbol, t) {
      const ms = t.getTime();
      const candle =
        ms >= todayStart
          ? minutes[symbol][Math.min(59, Math.floor((ms - todayStart) / MINUTE))]
          : hourly[symbol][Math.floor((ms - day1.getTime()) / HOUR)];
      if (!candle) throw new Error(`demo market: no price for ${symbol} at ${t.toISOString()}`);
      return Number(candle.open);
    },
    candlesBetween(symbol, from, to) {
      const hours = hourly[symbol].filter(
        (c) =>
          c.timestamp.getTime() < Math.min(to.getTime(), todayStart) && c.timestamp.getTime() + HOUR > from.getTime(),
      );
      const mins = minutes[symbol].filter(
        (c) => c.timestamp.getTime() < to.getTime() && c.timestamp.getTime() + MINUTE > from.getTime(),
      );
      return [...hours, ...mins];
    },
  };
}

/** Relative Strength Index over the last `period` closes before t (simple averages). */
export function rsi(closes: number[], period = 14): number {
  const recent = closes.slice(-(period + 1));
  let gain = 0,
    loss = 0;
  for (let i = 1; i < recent.length; i++) {
    const d = recent[i]! - recent[i - 1]!;
    if (d > 0) gain += d;
    else loss -= d;
  }
  if (gain + loss === 0) return 50;
  return (100 * gain) / (gain + loss);
}
