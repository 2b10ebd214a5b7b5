/**
 * Synthetic candles, generated lazily and deterministically: the same
 * sequence for every method compared, without holding 1M rows in memory.
 * Rows arrive as a live feed would: one candle per series per step.
 */
import type { NewOhlcvData } from '../src/schema/index.ts';

export const SYMBOLS = [
  'BTCUSDT', 'ETHUSDT', 'BNBUSDT', 'SOLUSDT', 'XRPUSDT', 'ADAUSDT', 'DOGEUSDT', 'AVAXUSDT', 'DOTUSDT', 'LINKUSDT',
  'MATICUSDT', 'LTCUSDT', 'TRXUSDT', 'ATOMUSDT', 'UNIUSDT', 'ETCUSDT', 'XLMUSDT', 'NEARUSDT', 'APTUSDT', 'FILUSDT',
  'ARBUSDT', 'OPUSDT', 'INJUSDT', 'SUIUSDT', 'AAVEUSDT',
] as const;
export const TIMEFRAMES = [['1m', 60], ['5m', 300], ['1h', 3600], ['1d', 86400]] as const;
/** 25 symbols x 4 timeframes. */
export const SERIES = SYMBOLS.length * TIMEFRAMES.length;
export const START = Date.UTC(2020, 0, 1);

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
  /** Skip this many steps first (a disjoint sample from the same feed). */
  fromStep?: number;
  seed?: number;
  /** data_source of every row (default 'bench'). */
  dataSource?: string;
}

/** `count` candles of ohlcv_data, decimal strings throughout. */
export function* candleFeed(count: number, options: CandleFeedOptions = {}): Generator<NewOhlcvData> {
  const rnd = random(options.seed ?? 42);
  for (let i = 0; i < count; i++) {
    const s = i % SERIES;
    const step = Math.floor(i / SERIES) + (options.fromStep ?? 0);
    const symbol = SYMBOLS[s % SYMBOLS.length]!;
    const [timeframe, seconds] = TIMEFRAMES[Math.floor(s / SYMBOLS.length)]!;
    const base = basePrice(s);
    const open = base * (1 + (rnd() - 0.5) * 0.1);
    const close = open * (1 + (rnd() - 0.5) * 0.02);
    const high = Math.max(open, close) * (1 + rnd() * 0.01);
    const low = Math.min(open, close) * (1 - rnd() * 0.01);
    const volume = rnd() * 1000;
    yield {
      symbol, timeframe, exchange: 'binance',
      timestamp: new Date(START + step * seconds * 1000),
      open: open.toFixed(8), high: high.toFixed(8), low: low.toFixed(8), close: close.toFixed(8),
      volume: volume.toFixed(8), quoteVolume: (volume * close).toFixed(8),
      takerBuyVolume: (volume * 0.5).toFixed(8), tradesCount: Math.floor(volume),
      isComplete: true, hasGaps: i % 997 === 0, dataSource: options.dataSource ?? 'bench',
    };
  }
}

/**
 * SQL that appends the candles of steps [fromStep, toStep) for every series
 * to `table` server-side (INSERT ... SELECT generate_series): how the read
 * benchmark reaches 10M candles in minutes. Same series, prices of the same
 * shape, every CHECK satisfied.
 */
export function generateCandlesSql(table: string, fromStep: number, toStep: number): string {
  const series = Array.from({ length: SERIES }, (_, s) => {
    const [timeframe, seconds] = TIMEFRAMES[Math.floor(s / SYMBOLS.length)]!;
    return `('${SYMBOLS[s % SYMBOLS.length]}', '${timeframe}', ${seconds}, ${basePrice(s)})`;
  }).join(', ');
  return `INSERT INTO ${table} (symbol, timeframe, exchange, "timestamp", open, high, low, close, volume,
      quote_volume, taker_buy_volume, trades_count, is_complete, has_gaps, data_source)
    SELECT s.symbol, s.timeframe, 'binance', to_timestamp(${START / 1000}::bigint + g.step::bigint * s.seconds),
           p.open, round(greatest(p.open, p.close) * 1.004, 8), round(least(p.open, p.close) * 0.996, 8), p.close,
           p.volume, round(p.volume * p.close, 8), round(p.volume / 2, 8), floor(p.volume)::int, true, g.step % 997 = 0, 'bench'
      FROM generate_series(${fromStep}, ${toStep - 1}) g(step)
     CROSS JOIN (VALUES ${series}) s(symbol, timeframe, seconds, base)
     CROSS JOIN LATERAL (SELECT round((s.base * (0.95 + random() * 0.1))::numeric, 8) AS open WHERE g.step >= 0) o
     CROSS JOIN LATERAL (SELECT o.open, round(o.open * (0.99 + random() * 0.02)::numeric, 8) AS close,
                                round((random() * 1000)::numeric, 8) AS volume) p`;
}
