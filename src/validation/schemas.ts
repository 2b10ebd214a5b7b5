/**
 * `<table>InsertSchema`, `<table>UpdateSchema` and `<table>SelectSchema` for
 * every table (see by-table.ts): the named exports only give each generated
 * schema its name.
 */
import { schemasByTable } from './by-table.ts';

const s = schemasByTable;
export const { insert: ohlcvInsertSchema, update: ohlcvUpdateSchema, select: ohlcvSelectSchema } = s.ohlcv;
export const {
  insert: ohlcvDataInsertSchema,
  update: ohlcvDataUpdateSchema,
  select: ohlcvDataSelectSchema,
} = s.ohlcvData;
export const {
  insert: fearGreedIndexInsertSchema,
  update: fearGreedIndexUpdateSchema,
  select: fearGreedIndexSelectSchema,
} = s.fearGreedIndex;
export const {
  insert: fundingRatesInsertSchema,
  update: fundingRatesUpdateSchema,
  select: fundingRatesSelectSchema,
} = s.fundingRates;
export const { insert: tradesInsertSchema, update: tradesUpdateSchema, select: tradesSelectSchema } = s.trades;
export const {
  insert: positionsInsertSchema,
  update: positionsUpdateSchema,
  select: positionsSelectSchema,
} = s.positions;
export const { insert: ordersInsertSchema, update: ordersUpdateSchema, select: ordersSelectSchema } = s.orders;
export const {
  insert: accountSnapshotsInsertSchema,
  update: accountSnapshotsUpdateSchema,
  select: accountSnapshotsSelectSchema,
} = s.accountSnapshots;
export const {
  insert: technicalSignalsInsertSchema,
  update: technicalSignalsUpdateSchema,
  select: technicalSignalsSelectSchema,
} = s.technicalSignals;
export const {
  insert: llmAnalysesInsertSchema,
  update: llmAnalysesUpdateSchema,
  select: llmAnalysesSelectSchema,
} = s.llmAnalyses;
export const {
  insert: mlPredictionsInsertSchema,
  update: mlPredictionsUpdateSchema,
  select: mlPredictionsSelectSchema,
} = s.mlPredictions;
export const {
  insert: tradingDecisionsInsertSchema,
  update: tradingDecisionsUpdateSchema,
  select: tradingDecisionsSelectSchema,
} = s.tradingDecisions;
export const {
  insert: circuitBreakerEventsInsertSchema,
  update: circuitBreakerEventsUpdateSchema,
  select: circuitBreakerEventsSelectSchema,
} = s.circuitBreakerEvents;
export const {
  insert: killSwitchEventsInsertSchema,
  update: killSwitchEventsUpdateSchema,
  select: killSwitchEventsSelectSchema,
} = s.killSwitchEvents;
export const { insert: dailyPnlInsertSchema, update: dailyPnlUpdateSchema, select: dailyPnlSelectSchema } = s.dailyPnl;
export const {
  insert: llmAnalysisLogInsertSchema,
  update: llmAnalysisLogUpdateSchema,
  select: llmAnalysisLogSelectSchema,
} = s.llmAnalysisLog;
export const {
  insert: systemEventsInsertSchema,
  update: systemEventsUpdateSchema,
  select: systemEventsSelectSchema,
} = s.systemEvents;
export const {
  insert: dailyPerformanceInsertSchema,
  update: dailyPerformanceUpdateSchema,
  select: dailyPerformanceSelectSchema,
} = s.dailyPerformance;
