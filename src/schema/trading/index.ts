/**
 * Trading: trades, positions, orders and account snapshots.
 * One file per table: the table, its row types, column notes, comment
 * and the triggers acting on it.
 */
export * from './trades.ts';
export * from './positions.ts';
export * from './orders.ts';
export * from './account-snapshots.ts';
