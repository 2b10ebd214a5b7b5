/**
 * One valid insert per table (required columns, plus the times a rule reads),
 * keyed by the table's export name. Tests copy and mutate these.
 */
import type * as s from '../../src/schema/tables.ts';

const at = new Date('2026-01-02T03:00:00Z');

export const validRows = {
  ohlcv: {
    symbol: 'BTCUSDT',
    exchange: 'binance',
    timeframe: '1h',
    timestamp: at,
    open: '100',
    high: '110',
    low: '90',
    close: '105',
    volume: '12.5',
  },
  ohlcvData: {
    symbol: 'BTCUSDT',
    timeframe: '1h',
    timestamp: at,
    open: '100',
    high: '110',
    low: '90',
    close: '105',
    volume: '12.5',
    takerBuyVolume: '6',
  },
  fearGreedIndex: { timestamp: at, value: 40 },
  fundingRates: { symbol: 'BTCUSDT', timestamp: at, rate: '0.0001', markPrice: '100.5', indexPrice: '100' },
  trades: {
    tradeId: 'T-1',
    symbol: 'BTCUSDT',
    exchange: 'binance',
    side: 'long',
    action: 'open',
    entryPrice: '100',
    quantity: '0.5',
    entryTime: at,
  },
  positions: {
    symbol: 'BTCUSDT',
    exchange: 'binance',
    side: 'long',
    entryPrice: '100',
    quantity: '0.5',
    margin: '50',
    entryTime: at,
  },
  orders: {
    clientOrderId: 'C-1',
    symbol: 'BTCUSDT',
    exchange: 'binance',
    side: 'buy',
    orderType: 'market',
    quantity: '0.5',
  },
  accountSnapshots: { exchange: 'binance', timestamp: at, balance: '1000', equity: '1010' },
  technicalSignals: {
    symbol: 'BTCUSDT',
    timestamp: at,
    overallSignal: 'bullish',
    confidence: '0.75',
    indicatorsJson: { rsi: 61.2 },
  },
  llmAnalyses: {
    symbol: 'BTCUSDT',
    timestamp: at,
    sentiment: 'bullish',
    confidence: '0.8',
    summary: 'Uptrend intact',
    model: 'gpt-x',
  },
  mlPredictions: { symbol: 'BTCUSDT', timestamp: at, action: 'long', confidence: '0.7', modelVersion: 'xgb-1' },
  tradingDecisions: {
    symbol: 'BTCUSDT',
    timestamp: at,
    action: 'long',
    confidence: '0.72',
    reasonsJson: { why: 'confluence' },
  },
  circuitBreakerEvents: { reason: 'Daily loss limit', triggerType: 'max_daily_loss', triggeredAt: at },
  killSwitchEvents: { reason: 'Manual stop', triggerSource: 'manual', activatedBy: 'ops', activatedAt: at },
  dailyPnl: { date: '2026-01-02', balanceStart: '1000', balanceEnd: '1010' },
  llmAnalysisLog: { analysisType: 'market_analysis' },
  systemEvents: { eventType: 'startup', severity: 'info', message: 'bot started' },
  dailyPerformance: { date: '2026-01-02', exchange: 'binance' },
} satisfies {
  [K in keyof typeof s as (typeof s)[K] extends { $inferInsert: unknown } ? K : never]: (typeof s)[K] extends {
    $inferInsert: infer I;
  }
    ? I
    : never;
};

export type TableName = keyof typeof validRows;
