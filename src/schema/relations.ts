/** Relations for Drizzle's relational queries (`db.query.x.findMany({ with })`), all in one place. */
import { relations } from 'drizzle-orm';
import { llmAnalyses, mlPredictions, technicalSignals, tradingDecisions } from './analysis/index.ts';
import { orders, positions, trades } from './trading/index.ts';

export const tradesRelations = relations(trades, ({ many }) => ({
  positions: many(positions),
  orders: many(orders),
}));

export const positionsRelations = relations(positions, ({ one, many }) => ({
  trade: one(trades, { fields: [positions.tradeId], references: [trades.tradeId] }),
  orders: many(orders),
}));

export const ordersRelations = relations(orders, ({ one, many }) => ({
  position: one(positions, { fields: [orders.positionId], references: [positions.id] }),
  trade: one(trades, { fields: [orders.tradeId], references: [trades.id] }),
  decisions: many(tradingDecisions),
}));

export const tradingDecisionsRelations = relations(tradingDecisions, ({ one }) => ({
  technicalSignal: one(technicalSignals, {
    fields: [tradingDecisions.technicalSignalId],
    references: [technicalSignals.id],
  }),
  llmAnalysis: one(llmAnalyses, { fields: [tradingDecisions.llmAnalysisId], references: [llmAnalyses.id] }),
  mlPrediction: one(mlPredictions, { fields: [tradingDecisions.mlPredictionId], references: [mlPredictions.id] }),
  order: one(orders, { fields: [tradingDecisions.orderId], references: [orders.id] }),
}));

export const technicalSignalsRelations = relations(technicalSignals, ({ many }) => ({
  decisions: many(tradingDecisions),
}));
export const llmAnalysesRelations = relations(llmAnalyses, ({ many }) => ({ decisions: many(tradingDecisions) }));
export const mlPredictionsRelations = relations(mlPredictions, ({ many }) => ({ decisions: many(tradingDecisions) }));
