import { varchar } from 'drizzle-orm/pg-core';

/** Series keys as ohlcv_data_series() returns them: varchar without a length. */
export const seriesText = (name: string) => varchar(name);
