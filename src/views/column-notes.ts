/** The column notes (units) of every view, keyed by the view's export name; the compiler insists on one per view. */
import type { ColumnNotes } from '../schema/_notes.ts';
import { vAnalysisPerformanceColumnNotes, vDecisionAnalysisColumnNotes } from './analysis.ts';
import {
  vFundingRateAnalysisColumnNotes,
  vMarketCorrelationColumnNotes,
  vMarketDataSummaryColumnNotes,
  vVolatilityAnalysisColumnNotes,
} from './market.ts';
import { vRiskSummaryColumnNotes } from './risk.ts';
import { vActivePositionsColumnNotes, vRecentTradesColumnNotes } from './trading.ts';
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
