/**
 * The nine views of SPEC section 4, typed for the query builder:
 * `db.select().from(vRiskSummary)`. Each is `.existing()`: the SQL lives in
 * ./v_*.sql beside each view's ./v_*.ts (ordered by src/sql-sources.ts and carried by a custom
 * migration), so drizzle-kit neither creates nor diffs them. Column keys are
 * camelCase over the views' snake_case columns; numeric values are decimal
 * strings, timestamps Date, ids and counts number.
 */
export { vActivePositions, type ActivePositionsRow } from './v_active_positions.ts';
export { vRecentTrades, type RecentTradesRow } from './v_recent_trades.ts';
export { vDecisionAnalysis, type DecisionAnalysisRow } from './v_decision_analysis.ts';
export { vAnalysisPerformance, type AnalysisPerformanceRow } from './v_analysis_performance.ts';
export { vRiskSummary, type RiskSummaryRow } from './v_risk_summary.ts';
export { vMarketDataSummary, type MarketDataSummaryRow } from './v_market_data_summary.ts';
export { vFundingRateAnalysis, type FundingRateAnalysisRow } from './v_funding_rate_analysis.ts';
export { vVolatilityAnalysis, type VolatilityAnalysisRow } from './v_volatility_analysis.ts';
export { vMarketCorrelation, type MarketCorrelationRow } from './v_market_correlation.ts';
