/** Every table, by domain. */
export * from './market.ts';
export * from './trading.ts';
export * from './analysis.ts';
export * from './risk.ts';
export * from './audit.ts';
