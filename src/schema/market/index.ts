/**
 * Market data: candles, fear & greed readings and funding rates.
 * One file per table: the table, its row types, column notes, comment
 * and the triggers acting on it.
 */
export * from './ohlcv.ts';
export * from './ohlcv-data.ts';
export * from './fear-greed-index.ts';
export * from './funding-rates.ts';
