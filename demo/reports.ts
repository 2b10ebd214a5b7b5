/** The closing reports: daily P&L per UTC day, v_risk_summary and v_market_data_summary. */
import { asc, count, getTableName } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '../src/db.ts';
import { calculateDailyPnl } from '../src/functions/index.ts';
import { tableComments } from '../src/schema/comments.ts';
import * as tables from '../src/schema/tables.ts';
import type { DailyPnl } from '../src/schema/index.ts';
import { vMarketDataSummary, vRiskSummary } from '../src/views/index.ts';
import { num, record, say, section, table, utc } from './print.ts';

export async function dailyPnlReport(db: Db, days: string[]): Promise<void> {
  section('Daily P&L: calculateDailyPnl() for each UTC day (trades closed that day + account snapshots)');
  const rows: DailyPnl[] = [];
  for (const day of days) rows.push(await calculateDailyPnl(db, day));
  table(rows, [
    { label: 'date', value: (r) => r.date },
    { label: 'trades', value: (r) => String(r.totalTrades), right: true },
    { label: 'won', value: (r) => String(r.winningTrades), right: true },
    { label: 'lost', value: (r) => String(r.losingTrades), right: true },
    { label: 'win %', value: (r) => num(r.winRate, 1), right: true },
    { label: 'realized', value: (r) => num(r.realizedPnl, 2, true), right: true },
    { label: 'unrealized', value: (r) => num(r.unrealizedPnl, 2, true), right: true },
    { label: 'total P&L', value: (r) => num(r.totalPnl, 2, true), right: true },
    { label: 'fees', value: (r) => num(r.totalFees), right: true },
    { label: 'balance start', value: (r) => num(r.balanceStart), right: true },
    { label: 'balance end', value: (r) => num(r.balanceEnd), right: true },
    { label: 'max DD %', value: (r) => num(r.maxDrawdownPct, 2), right: true },
    { label: 'breakers', value: (r) => String(r.circuitBreakersTriggered), right: true },
  ]);
}

export async function riskSummaryReport(db: Db): Promise<void> {
  section('v_risk_summary (one row; "today" is the current UTC day)');
  const [r] = await db.select().from(vRiskSummary);
  if (!r) throw new Error('v_risk_summary returned no row');
  record([
    ['active circuit breakers', String(r.activeCircuitBreakers)],
    ['active kill switches', String(r.activeKillSwitches)],
    ["today's P&L", `${num(r.todayPnl, 2, true)} USDT`],
    ['current balance', `${num(r.currentBalance)} USDT`],
    ['last circuit breaker', `${utc(r.lastCircuitBreaker)}  ${r.lastCircuitBreakerReason ?? ''}`],
    ['last kill switch', r.lastKillSwitch ? `${utc(r.lastKillSwitch)}  ${r.lastKillSwitchReason}` : 'none'],
    ['avg win rate, 7 days', `${num(r.avgWinRate7d, 1)} %`],
    ['total P&L, 7 days', `${num(r.totalPnl7d, 2, true)} USDT`],
  ]);
}

export async function marketSummaryReport(db: Db): Promise<void> {
  section('v_market_data_summary (latest candle per series, latest fear & greed and funding)');
  const rows = await db
    .select()
    .from(vMarketDataSummary)
    .orderBy(asc(vMarketDataSummary.symbol), asc(vMarketDataSummary.timeframe));
  table(rows, [
    { label: 'symbol', value: (r) => r.symbol },
    { label: 'tf', value: (r) => r.timeframe },
    { label: 'last candle', value: (r) => utc(r.lastCandleTime) },
    { label: 'last price', value: (r) => num(r.lastPrice), right: true },
    { label: 'change %', value: (r) => num(r.lastCandleChangePct, 3, true), right: true },
    { label: 'volume', value: (r) => num(r.lastVolume, 3), right: true },
    { label: 'fear & greed', value: (r) => `${r.fearGreedValue ?? ''} ${r.fearGreedClassification ?? ''}` },
    { label: 'funding bps', value: (r) => num(r.fundingRateBps, 2, true), right: true },
    { label: 'funding/yr %', value: (r) => num(Number(r.fundingRateAnnual) * 100, 2, true), right: true },
    { label: 'funding time', value: (r) => utc(r.fundingRateTime) },
  ]);
}

/** Rows per table: every table of the schema took part. */
export async function rowCountsReport(db: Db): Promise<void> {
  section("Rows written (every insert validated by the table's zod insert schema)");
  const counts: string[] = [];
  for (const key of Object.keys(tableComments)) {
    const t = (tables as unknown as Record<string, PgTable>)[key]!;
    const [{ n }] = (await db.select({ n: count() }).from(t)) as [{ n: number }];
    counts.push(`${getTableName(t)} ${n}`);
  }
  for (let i = 0; i < counts.length; i += 6) say(`   ${counts.slice(i, i + 6).join(' · ')}`);
}
