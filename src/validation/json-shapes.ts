/**
 * Runtime shapes of the jsonb columns. The schema files type each jsonb column
 * with `$type<T>()`, which is erased at run time, so the shape is written here
 * once more; the compiler keeps the two in step: `JsonShapes` demands an entry
 * for every jsonb column of every table, of a zod type whose output is that
 * column's TypeScript type.
 */
import { z } from 'zod';
import type { Column } from 'drizzle-orm';
import { jsonObject, numberRecord, objectList, stringList } from './json.ts';
import type { ColumnsOf, TableName, TableOf } from './table-list.ts';

type JsonKeys<C extends Record<string, Column>> = {
  [K in keyof C]: C[K]['_']['dataType'] extends 'json' ? K : never;
}[keyof C];
type DataOf<C> = C extends Column ? C['_']['data'] : never;

/** For every table with jsonb columns: column key -> zod shape of its TypeScript type. */
export type JsonShapes = {
  [N in TableName as JsonKeys<ColumnsOf<TableOf<N>>> extends never ? never : N]: {
    [K in JsonKeys<ColumnsOf<TableOf<N>>>]: z.ZodType<DataOf<ColumnsOf<TableOf<N>>[K]>>;
  };
};

export const jsonShapes = {
  trades: {
    decisionReasons: jsonObject,
    llmAnalysis: z
      .object({
        sentiment: z.string().optional(),
        confidence: z.number().optional(),
        summary: z.string().optional(),
        model: z.string().optional(),
      })
      .catchall(z.unknown()),
  },
  orders: { exchangeResponse: jsonObject },
  accountSnapshots: { rawJson: jsonObject },
  technicalSignals: { indicatorsJson: jsonObject },
  llmAnalyses: { keyFactorsJson: z.union([stringList, jsonObject]) },
  mlPredictions: { featureImportanceJson: numberRecord },
  tradingDecisions: { reasonsJson: z.union([jsonObject, stringList]) },
  circuitBreakerEvents: { contextJson: jsonObject },
  killSwitchEvents: { actionLogJson: z.union([objectList, jsonObject]), systemStateJson: jsonObject },
  llmAnalysisLog: { responseJson: jsonObject },
  systemEvents: { details: jsonObject },
} satisfies JsonShapes;

/** The shape of one jsonb column, if the table has one for it. */
export const jsonShapeOf = (table: string, key: string): z.ZodType | undefined =>
  (jsonShapes as Record<string, Record<string, z.ZodType> | undefined>)[table]?.[key];
