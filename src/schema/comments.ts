/**
 * COMMENT ON TABLE text for every table; the compiler insists on one per
 * table. Column comments come from the column builders' units (_columns.ts).
 */
import type * as tables from './tables.ts';

export type TableExport = {
  [K in keyof typeof tables]: (typeof tables)[K] extends { $inferSelect: unknown } ? K : never;
}[keyof typeof tables];

export const tableComments: Record<TableExport, string> = {
  ohlcv: 'OHLCV candles per exchange; one row per (symbol, exchange, timeframe, open time).',
  ohlcvData:
    'Enhanced OHLCV candles with data-quality flags (is_complete, has_gaps); one row per (symbol, timeframe, open time, exchange).',
  fearGreedIndex: 'Crypto Fear & Greed Index readings (0-100); classification is derived from value by trigger.',
  fundingRates:
    'Perpetual futures funding rates per symbol and exchange; bps, annualized rate and premium are derived by trigger.',
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
