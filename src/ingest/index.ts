/** Bulk candle ingest: `upsertCandles` and its errors. */
export {
  upsertCandles,
  CandleValidationError,
  CandleWriteError,
  DEFAULT_BATCH_SIZE,
  type CandleTable,
  type CandleRows,
  type UpsertCandlesOptions,
  type UpsertCandlesResult,
} from './upsert-candles.ts';
