/**
 * COMMENT ON TABLE text for every table; the compiler insists on one per
 * table. Tables in a file of their own (src/schema/market/) keep theirs there. Column comments come from the column builders' units (_columns.ts).
 */
import type * as tables from './tables.ts';
import { fearGreedIndexComment, fundingRatesComment, ohlcvComment, ohlcvDataComment } from './market/index.ts';

export type TableExport = {
  [K in keyof typeof tables]: (typeof tables)[K] extends { $inferSelect: unknown } ? K : never;
}[keyof typeof tables];

export const tableComments: Record<TableExport, string> = {
  ohlcv: ohlcvComment,
  ohlcvData: ohlcvDataComment,
  fearGreedIndex: fearGreedIndexComment,
  fundingRates: fundingRatesComment,
  trades: 'Trades opened, closed or liquidated by the bot, with P&L and the signal scores behind them.',
  positions: 'Current and historical positions; at most one open position per (symbol, exchange, side).',
  orders: 'One row per order sent to an exchange, with fills, fees and the exchange response.',
  accountSnapshots:
    'Periodic balance and equity snapshots per exchange account; the source of daily balances and drawdown.',
  technicalSignals: 'Aggregated technical analysis (RSI, MACD, Bollinger Bands, ...) per symbol and time.',
  llmAnalyses: 'LLM market analyses with sentiment, confidence, token use and cost.',
  mlPredictions: 'Machine-learning (XGBoost) predictions with class probabilities.',
  tradingDecisions: 'Final trading decisions combining technical, LLM and ML inputs, with veto and execution tracking.',
  circuitBreakerEvents:
    'Automatic trading halts on risk thresholds; symbol null = account-wide. Blocks trading while active and within cooldown.',
  killSwitchEvents: 'Emergency shutdowns; any active row blocks all trading.',
  dailyPnl: 'Account P&L and risk metrics per UTC day, computed by calculate_daily_pnl().',
  llmAnalysisLog: 'Audit log of every LLM API call (append-only for the bot).',
  systemEvents: 'System-wide event and audit log (append-only for the bot).',
  dailyPerformance: 'Daily performance summary per exchange.',
};
