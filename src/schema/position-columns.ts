/**
 * The columns of a position: the positions table and v_active_positions
 * ("all position columns") both build from this one list.
 */
import { varchar } from 'drizzle-orm/pg-core';
import {
  amount,
  createdAt,
  exchange,
  id,
  leverage,
  oneOf,
  percentPoints,
  price,
  quantity,
  symbol,
  timestamptz,
  NOW,
} from './_columns.ts';
import { POSITION_SIDES, POSITION_STATUSES } from './enums.ts';

export const positionColumns = () => ({
  id: id(),
  symbol: symbol().notNull(),
  exchange: exchange().notNull(),
  side: oneOf('side', POSITION_SIDES, 10).notNull(),
  entryPrice: price('entry_price').notNull(),
  quantity: quantity('quantity').notNull(),
  leverage: leverage().default('1.0'),
  margin: amount('margin').notNull(),
  currentPrice: price('current_price'),
  unrealizedPnl: amount('unrealized_pnl'),
  unrealizedPnlPct: percentPoints('unrealized_pnl_pct', 10, 4),
  liquidationPrice: price('liquidation_price'),
  stopLoss: price('stop_loss'),
  takeProfit: price('take_profit'),
  trailingStop: price('trailing_stop'),
  status: oneOf('status', POSITION_STATUSES, 20).notNull().default('open'),
  tradeId: varchar('trade_id', { length: 100 }),
  entryTime: timestamptz('entry_time').notNull().default(NOW),
  lastUpdated: timestamptz('last_updated').notNull().default(NOW),
  ...createdAt,
});
