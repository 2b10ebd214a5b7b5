/**
 * Synthetic candles, generated lazily and deterministically: the same
 * sequence for every method compared, without holding 1M rows in memory.
 *
 * A feed is what a bot collecting 25 symbols on 4 timeframes since some day
 * holds now: every series covers the same span and ends in the minute before
 * the feed's end (normally the start of the run), so the newest candle of
 * every series is recent and the views' 24-hour, 7-day and 30-day windows
 * have data. Candles open on their timeframe's boundary in UTC (5m on
 * multiples of 5 minutes, 1h on the hour, 1d at midnight), in the order a
 * live feed delivers them: minute by minute, and within a minute series by
 * series. The 1m series carry 82 % of the rows; 1M candles span 23 days,
 * 10M about 7.5 months, 50M about 3 years. Rows past the feed's end continue
 * it into the future (new candles "after the loaded ones").
 */
import type { NewOhlcvData } from '../src/schema/index.ts';

export const SYMBOLS = [
  'BTCUSDT',
  'ETHUSDT',
  'BNBUSDT',
  'SOLUSDT',
  'XRPUSDT',
  'ADAUSDT',
  'DOGEUSDT',
  'AVAXUSDT',
  'DOTUSDT',
  'LINKUSDT',
  'MATICUSDT',
  'LTCUSDT',
  'TRXUSDT',
  'ATOMUSDT',
  'UNIUSDT',
  'ETCUSDT',
  'XLMUSDT',
  'NEARUSDT',
  'APTUSDT',
  'FILUSDT',
  'ARBUSDT',
  'OPUSDT',
  'INJUSDT',
  'SUIUSDT',
  'AAVEUSDT',
] as const;
export const TIMEFRAMES = [
  ['1m', 60],
  ['5m', 300],
  ['1h', 3600],
  ['1d', 86400],
] as const;
/** 25 symbols x 4 timeframes; series s is timeframe floor(s / 25) of symbol s % 25. */
export const SERIES = SYMBOLS.length * TIMEFRAMES.length;

const MINUTE_MS = 60_000;
/** Minutes between two candles of each timeframe. */
const PERIODS = TIMEFRAMES.map(([, seconds]) => seconds / 60);
const seriesOf = (s: number) => ({
  symbol: SYMBOLS[s % SYMBOLS.length]!,
  timeframe: TIMEFRAMES[Math.floor(s / SYMBOLS.length)]![0],
  period: PERIODS[Math.floor(s / SYMBOLS.length)]!,
});
const ceilDiv = (a: number, b: number) => Math.ceil(a / b);

/** Candles of all series opening in the epoch minutes [a, b). */
function rowsBetween(a: number, b: number): number {
  return SYMBOLS.length * PERIODS.reduce((n, p) => n + ceilDiv(b, p) - ceilDiv(a, p), 0);
}

/** A feed of `rows` candles whose newest opens in the minute before `end`. */
export interface Feed {
  rows: number;
  /** Epoch minute of the first candle's minute (that minute may be partly skipped). */
  startMinute: number;
  /** Candles of startMinute that come before the feed's first row. */
  skip: number;
  /** Open time of the first and of the last candle. */
  first: Date;
  last: Date;
}

/** Position of feed row `k` (may be >= feed.rows): its minute and series. */
interface Position {
  minute: number;
  series: number;
}

function positionOf(feed: Feed, k: number): Position {
  const offset = feed.skip + k;
  // The minute t with rowsBetween(start, t) <= offset < rowsBetween(start, t + 1).
  let lo = feed.startMinute;
  let hi = feed.startMinute + offset + 1;
  while (lo < hi) {
    const mid = Math.floor((lo + hi + 1) / 2);
    if (rowsBetween(feed.startMinute, mid) <= offset) lo = mid;
    else hi = mid - 1;
  }
  let within = offset - rowsBetween(feed.startMinute, lo);
  for (let s = 0; s < SERIES; s++) {
    if (lo % seriesOf(s).period !== 0) continue;
    if (within-- === 0) return { minute: lo, series: s };
  }
  throw new Error(`feed position ${k} not found`);
}

export function feedEndingAt(rows: number, end: Date = new Date()): Feed {
  if (!Number.isInteger(rows) || rows < 1) throw new Error(`a feed needs a positive whole number of rows, got ${rows}`);
  const last = Math.floor(end.getTime() / MINUTE_MS) - 1;
  // The latest start minute whose candles up to `last` number at least `rows`.
  let lo = last + 1 - rows;
  let hi = last;
  while (lo < hi) {
    const mid = Math.floor((lo + hi + 1) / 2);
    if (rowsBetween(mid, last + 1) >= rows) lo = mid;
    else hi = mid - 1;
  }
  const feed: Feed = {
    rows,
    startMinute: lo,
    skip: rowsBetween(lo, last + 1) - rows,
    first: new Date(0),
    last: new Date(0),
  };
  feed.first = new Date(positionOf(feed, 0).minute * MINUTE_MS);
  feed.last = new Date(positionOf(feed, rows - 1).minute * MINUTE_MS);
  return feed;
}

/** Open time of feed row `k`. */
export const timeOfRow = (feed: Feed, k: number) => new Date(positionOf(feed, k).minute * MINUTE_MS);

/** Tiny deterministic PRNG (mulberry32), so every run sees the same prices. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Price level of series `s`. */
const basePrice = (s: number) => 10 + (s % SYMBOLS.length) * 37;

export interface CandleFeedOptions {
  /** Start at this row of the feed (a disjoint slice of the same feed); default 0. */
  from?: number;
  seed?: number;
  /** data_source of every row (default 'bench'). */
  dataSource?: string;
}

/** `count` candles of ohlcv_data from row `from` of `feed`, decimal strings throughout. */
export function* candleFeed(feed: Feed, count: number, options: CandleFeedOptions = {}): Generator<NewOhlcvData> {
  const rnd = random(options.seed ?? 42);
  let { minute, series: s } = positionOf(feed, options.from ?? 0);
  for (let i = 0; i < count; i++) {
    const { symbol, timeframe } = seriesOf(s);
    const base = basePrice(s);
    const open = base * (1 + (rnd() - 0.5) * 0.1);
    const close = open * (1 + (rnd() - 0.5) * 0.02);
    const high = Math.max(open, close) * (1 + rnd() * 0.01);
    const low = Math.min(open, close) * (1 - rnd() * 0.01);
    const volume = rnd() * 1000;
    yield {
      symbol,
      timeframe,
      exchange: 'binance',
      timestamp: new Date(minute * MINUTE_MS),
      open: open.toFixed(8),
      high: high.toFixed(8),
      low: low.toFixed(8),
      close: close.toFixed(8),
      volume: volume.toFixed(8),
      quoteVolume: (volume * close).toFixed(8),
      takerBuyVolume: (volume * 0.5).toFixed(8),
      tradesCount: Math.floor(volume),
      isComplete: true,
      hasGaps: i % 997 === 0,
      dataSource: options.dataSource ?? 'bench',
    };
    // The next series opening a candle: later in this minute, else in the next minutes.
    do {
      if (++s === SERIES) {
        s = 0;
        minute++;
      }
    } while (minute % seriesOf(s).period !== 0);
  }
}

/**
 * SQL that appends rows [from, to) of `feed` to `table` (ohlcv_data, or
 * ohlcv with its own columns) server-side, by INSERT ... SELECT over
 * generate_series: how the read benchmarks reach 10M candles in minutes.
 * Prices come from a hash of (minute, series), not random(), so two
 * databases filled with the same rows hold the same values.
 */
export function generateCandlesSql(table: 'ohlcv_data' | 'ohlcv', feed: Feed, from: number, to: number): string {
  const start = positionOf(feed, from);
  const end = positionOf(feed, to); // exclusive
  const series = Array.from({ length: SERIES }, (_, s) => {
    const { symbol, timeframe, period } = seriesOf(s);
    return `(${s}, '${symbol}', '${timeframe}', ${period}, ${basePrice(s)})`;
  }).join(', ');
  // A uniform fraction in [0, 1) per (minute, series, purpose).
  const fraction = (purpose: number) =>
    `((hashint8extended(g.minute * 128 + s.idx, ${purpose}) & 4294967295) / 4294967296.0)`;
  const ohlcvData = table === 'ohlcv_data';
  return `INSERT INTO ${table} (symbol, timeframe, exchange, "timestamp", open, high, low, close, volume,
      quote_volume, trades_count${ohlcvData ? ', taker_buy_volume, is_complete, has_gaps, data_source' : ''})
    SELECT s.symbol, s.timeframe, 'binance', to_timestamp(g.minute * 60),
           p.open, round(greatest(p.open, p.close) * 1.004, 8), round(least(p.open, p.close) * 0.996, 8), p.close,
           p.volume, round(p.volume * p.close, 8), floor(p.volume)::int
           ${ohlcvData ? `, round(p.volume / 2, 8), true, g.minute % 997 = 0, 'bench'` : ''}
      FROM generate_series(${start.minute}::bigint, ${end.minute}::bigint) g(minute)
     CROSS JOIN (VALUES ${series}) s(idx, symbol, timeframe, period, base)
     CROSS JOIN LATERAL (SELECT round(s.base * (0.95 + ${fraction(1)} * 0.1), 8) AS open) o
     CROSS JOIN LATERAL (SELECT o.open, round(o.open * (0.99 + ${fraction(2)} * 0.02), 8) AS close,
                                round(${fraction(3)} * 1000, 8) AS volume) p
     WHERE g.minute % s.period = 0
       AND (g.minute, s.idx) >= (${start.minute}, ${start.series})
       AND (g.minute, s.idx) < (${end.minute}, ${end.series})`;
}
