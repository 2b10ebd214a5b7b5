/**
 * The column notes (units, ranges, trigger-set columns) of every table,
 * keyed by the table's export name, gathered from the tables' own files;
 * the compiler insists on one per table.
 */
import type { ColumnNotes } from './_notes.ts';
import {
  accountSnapshotsColumnNotes,
  ordersColumnNotes,
  positionsColumnNotes,
  tradesColumnNotes,
} from './trading/index.ts';
import {
  fearGreedIndexColumnNotes,
  fundingRatesColumnNotes,
  ohlcvColumnNotes,
  ohlcvDataColumnNotes,
} from './market/index.ts';
import {
  llmAnalysesColumnNotes,
  mlPredictionsColumnNotes,
  technicalSignalsColumnNotes,
  tradingDecisionsColumnNotes,
} from './analysis/index.ts';
import { circuitBreakerEventsColumnNotes, dailyPnlColumnNotes, killSwitchEventsColumnNotes } from './risk/index.ts';
import { dailyPerformanceColumnNotes, llmAnalysisLogColumnNotes, systemEventsColumnNotes } from './audit/index.ts';
import type { TableExport } from './comments.ts';

export const tableColumnNotes: Record<TableExport, ColumnNotes> = {
  ohlcv: ohlcvColumnNotes,
  ohlcvData: ohlcvDataColumnNotes,
  fearGreedIndex: fearGreedIndexColumnNotes,
  fundingRates: fundingRatesColumnNotes,
  trades: tradesColumnNotes,
  positions: positionsColumnNotes,
  orders: ordersColumnNotes,
  accountSnapshots: accountSnapshotsColumnNotes,
  technicalSignals: technicalSignalsColumnNotes,
  llmAnalyses: llmAnalysesColumnNotes,
  mlPredictions: mlPredictionsColumnNotes,
  tradingDecisions: tradingDecisionsColumnNotes,
  circuitBreakerEvents: circuitBreakerEventsColumnNotes,
  killSwitchEvents: killSwitchEventsColumnNotes,
  dailyPnl: dailyPnlColumnNotes,
  llmAnalysisLog: llmAnalysisLogColumnNotes,
  systemEvents: systemEventsColumnNotes,
  dailyPerformance: dailyPerformanceColumnNotes,
};
