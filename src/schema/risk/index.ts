/**
 * Risk management: circuit breaker events, kill switch events and daily P&L.
 * One file per table: the table, its row types, column notes, comment
 * and the triggers acting on it.
 */
export * from './circuit-breaker-events.ts';
export * from './kill-switch-events.ts';
export * from './daily-pnl.ts';
