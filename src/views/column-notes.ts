/** The column notes (units) of every view, keyed by the view's export name; the compiler insists on one per view. */
import type { ColumnNotes } from '../schema/_notes.ts';
import { vActivePositionsColumnNotes } from './v_active_positions.ts';
import { vRecentTradesColumnNotes } from './v_recent_trades.ts';
import { vDecisionAnalysisColumnNotes } from './v_decision_analysis.ts';
import { vAnalysisPerformanceColumnNotes } from './v_analysis_performance.ts';
import { vRiskSummaryColumnNotes } from './v_risk_summary.ts';
import { vMarketDataSummaryColumnNotes } from './v_market_data_summary.ts';
import { vFundingRateAnalysisColumnNotes } from './v_funding_rate_analysis.ts';
import { vVolatilityAnalysisColumnNotes } from './v_volatility_analysis.ts';
import { vMarketCorrelationColumnNotes } from './v_market_correlation.ts';
import type * as views from './index.ts';

type ViewExport = {
  [K in keyof typeof views]: (typeof views)[K] extends { _: { selectedFields: unknown } } ? K : never;
}[keyof typeof views];

export const viewColumnNotes: Record<ViewExport, ColumnNotes> = {
  vActivePositions: vActivePositionsColumnNotes,
  vRecentTrades: vRecentTradesColumnNotes,
  vDecisionAnalysis: vDecisionAnalysisColumnNotes,
  vAnalysisPerformance: vAnalysisPerformanceColumnNotes,
  vRiskSummary: vRiskSummaryColumnNotes,
  vMarketDataSummary: vMarketDataSummaryColumnNotes,
  vFundingRateAnalysis: vFundingRateAnalysisColumnNotes,
  vVolatilityAnalysis: vVolatilityAnalysisColumnNotes,
  vMarketCorrelation: vMarketCorrelationColumnNotes,
};
