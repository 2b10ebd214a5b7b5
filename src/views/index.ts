/**
 * The nine views of SPEC section 4, typed for the query builder:
 * `db.select().from(vRiskSummary)`. Each is `.existing()`: the SQL lives in
 * ./v_*.sql (ordered by src/sql-sources.ts and carried by a custom
 * migration), so drizzle-kit neither creates nor diffs them. Column keys are
 * camelCase over the views' snake_case columns; numeric values are decimal
 * strings, timestamps Date, ids and counts number.
 */
export { vActivePositions, vRecentTrades, type ActivePositionsRow, type RecentTradesRow } from './trading.ts';
export {
  vDecisionAnalysis,
  vAnalysisPerformance,
  type DecisionAnalysisRow,
  type AnalysisPerformanceRow,
} from './analysis.ts';
export { vRiskSummary, type RiskSummaryRow } from './risk.ts';
export {
  vMarketDataSummary,
  vFundingRateAnalysis,
  vVolatilityAnalysis,
  vMarketCorrelation,
  type MarketDataSummaryRow,
  type FundingRateAnalysisRow,
  type VolatilityAnalysisRow,
  type MarketCorrelationRow,
} from './market.ts';
