export * from './tables.ts';
export * from './relations.ts';
export * from './enums.ts';
export * from './partitions.ts';
