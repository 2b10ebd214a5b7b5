/**
 * COMMENT ON TABLE text for every table, keyed by export name: each table
 * keeps its own in its file (`<table>Comment`); the compiler insists on one
 * per table. Column comments come from the tables' column notes (_notes.ts).
 */
import type * as tables from './tables.ts';
import { dailyPerformanceComment, llmAnalysisLogComment, systemEventsComment } from './audit/index.ts';
import { circuitBreakerEventsComment, dailyPnlComment, killSwitchEventsComment } from './risk/index.ts';
import {
  llmAnalysesComment,
  mlPredictionsComment,
  technicalSignalsComment,
  tradingDecisionsComment,
} from './analysis/index.ts';
import { accountSnapshotsComment, ordersComment, positionsComment, tradesComment } from './trading/index.ts';
import { fearGreedIndexComment, fundingRatesComment, ohlcvComment, ohlcvDataComment } from './market/index.ts';

export type TableExport = {
  [K in keyof typeof tables]: (typeof tables)[K] extends { $inferSelect: unknown } ? K : never;
}[keyof typeof tables];

export const tableComments: Record<TableExport, string> = {
  ohlcv: ohlcvComment,
  ohlcvData: ohlcvDataComment,
  fearGreedIndex: fearGreedIndexComment,
  fundingRates: fundingRatesComment,
  trades: tradesComment,
  positions: positionsComment,
  orders: ordersComment,
  accountSnapshots: accountSnapshotsComment,
  technicalSignals: technicalSignalsComment,
  llmAnalyses: llmAnalysesComment,
  mlPredictions: mlPredictionsComment,
  tradingDecisions: tradingDecisionsComment,
  circuitBreakerEvents: circuitBreakerEventsComment,
  killSwitchEvents: killSwitchEventsComment,
  dailyPnl: dailyPnlComment,
  llmAnalysisLog: llmAnalysisLogComment,
  systemEvents: systemEventsComment,
  dailyPerformance: dailyPerformanceComment,
};
