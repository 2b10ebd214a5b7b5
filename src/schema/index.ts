export * from './tables.ts';
export * from './summaries.ts';
export * from './relations.ts';
export * from './enums.ts';
export * from './partitions.ts';
