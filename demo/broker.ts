/**
 * The exchange side of the demo: market orders fill at the market's price,
 * positions open and close (by signal, stop-loss or liquidation), and the
 * account balance follows. Money is kept in integer cents so every figure is
 * exact; the database receives decimal strings.
 */
import {
  accountSnapshots,
  orders,
  positions,
  systemEvents,
  trades,
  type Order,
  type Position,
  type Trade,
} from '../src/schema/index.ts';
import {
  accountSnapshotsInsertSchema,
  ordersInsertSchema,
  positionsInsertSchema,
  systemEventsInsertSchema,
  tradesInsertSchema,
} from '../src/validation/index.ts';
import { fixed, type Market, type Pair } from './market.ts';
import type { Store } from './store.ts';

const TAKER_FEE = 0.0004;
/** Exchange clearing fee taken on liquidation, of the notional at the liquidation price. */
const LIQUIDATION_FEE = 0.005;
/** Maintenance margin rate used for the liquidation price. */
const MAINTENANCE = 0.005;
const cents = (amount: number) => Math.round(amount * 100);
export const usd = (c: number) => fixed(c / 100, 2);

export type Side = 'long' | 'short';
export interface Holding {
  symbol: Pair;
  side: Side;
  qty: number;
  entry: number;
  leverage: number;
  marginCents: number;
  entryFeeCents: number;
  stopLoss: number | null;
  liquidation: number;
  trade: Trade;
  position: Position;
  stopOrder?: Order;
  openedAt: Date;
  checkedUntil: Date;
}
export interface OpenRequest {
  symbol: Pair;
  side: Side;
  price: number;
  leverage: number;
  marginCents: number;
  at: Date;
  withStop: boolean;
  scores: { signal: string; technical: string; llm: string; ml: string };
  reasons: Record<string, unknown>;
  llm: { sentiment: string; confidence: number; summary: string; model: string };
}
export interface Exit {
  holding: Holding;
  price: number;
  at: Date;
  kind: 'close' | 'stop_loss' | 'liquidated';
  realizedCents: number;
  order: Order;
}

export function broker(store: Store, market: Market, startingCents: number) {
  let balanceCents = startingCents;
  let orderSeq = 0;
  let tradeSeq = 0;
  const open = new Map<Pair, Holding>();
  const dir = (s: Side) => (s === 'long' ? 1 : -1);
  const orderIds = () => {
    orderSeq += 1;
    return {
      clientOrderId: `iftb-demo-${String(orderSeq).padStart(4, '0')}`,
      exchangeOrderId: String(8_460_000_000 + orderSeq * 37),
    };
  };

  async function marketOrder(
    h: { symbol: Pair; side: Side },
    qty: number,
    price: number,
    at: Date,
    extra: Partial<typeof orders.$inferInsert>,
  ) {
    const closing = extra.reduceOnly === true;
    const buy = (h.side === 'long') !== closing;
    return store.insertOne(orders, ordersInsertSchema, {
      ...orderIds(),
      symbol: h.symbol,
      exchange: 'binance',
      side: buy ? 'buy' : 'sell',
      positionSide: h.side,
      orderType: 'market',
      status: 'filled',
      quantity: fixed(qty, 3),
      filledQuantity: fixed(qty, 3),
      averageFillPrice: fixed(price, 2),
      feeCurrency: 'USDT',
      submittedAt: at,
      filledAt: new Date(at.getTime() + 180),
      ...extra,
    });
  }

  async function openPosition(r: OpenRequest): Promise<{ holding: Holding; order: Order }> {
    const notional = (r.marginCents / 100) * r.leverage;
    const qty = Math.floor((notional / r.price) * 1000) / 1000;
    const feeCents = cents(qty * r.price * TAKER_FEE);
    const d = dir(r.side);
    const stopLoss = r.withStop ? Math.round(r.price * (1 - d * 0.015) * 100) / 100 : null;
    const takeProfit = Math.round(r.price * (1 + d * 0.03) * 100) / 100;
    const liquidation = Math.round(r.price * (1 - d * (1 / r.leverage - MAINTENANCE)) * 100) / 100;
    tradeSeq += 1;
    const tradeId = `T-${r.at.toISOString().slice(0, 10).replaceAll('-', '')}-${r.symbol}-${tradeSeq}`;
    const trade = await store.insertOne(trades, tradesInsertSchema, {
      tradeId,
      symbol: r.symbol,
      exchange: 'binance',
      side: r.side,
      action: 'open',
      entryPrice: fixed(r.price, 2),
      quantity: fixed(qty, 3),
      leverage: fixed(r.leverage, 2),
      fee: usd(feeCents),
      signalScore: r.scores.signal,
      technicalScore: r.scores.technical,
      llmScore: r.scores.llm,
      xgbConfidence: r.scores.ml,
      stopLoss: stopLoss === null ? null : fixed(stopLoss, 2),
      takeProfit: fixed(takeProfit, 2),
      positionSizePct: fixed((r.marginCents / balanceCents) * 100, 2),
      decisionReasons: r.reasons,
      llmAnalysis: r.llm,
      entryTime: r.at,
    });
    const position = await store.insertOne(positions, positionsInsertSchema, {
      symbol: r.symbol,
      exchange: 'binance',
      side: r.side,
      entryPrice: fixed(r.price, 2),
      quantity: fixed(qty, 3),
      leverage: fixed(r.leverage, 2),
      margin: usd(r.marginCents),
      currentPrice: fixed(r.price, 2),
      unrealizedPnl: '0',
      unrealizedPnlPct: '0',
      liquidationPrice: fixed(liquidation, 2),
      stopLoss: stopLoss === null ? null : fixed(stopLoss, 2),
      takeProfit: fixed(takeProfit, 2),
      tradeId,
      entryTime: r.at,
    });
    const link = { positionId: position.id, tradeId: trade.id, leverage: fixed(r.leverage, 2) };
    const order = await marketOrder(r, qty, r.price, r.at, {
      ...link,
      fee: usd(feeCents),
      exchangeResponse: { status: 'FILLED', type: 'MARKET' },
    });
    const stopOrder =
      stopLoss === null
        ? undefined
        : await store.insertOne(orders, ordersInsertSchema, {
            ...orderIds(),
            symbol: r.symbol,
            exchange: 'binance',
            side: r.side === 'long' ? 'sell' : 'buy',
            positionSide: r.side,
            orderType: 'stop_market',
            status: 'open',
            quantity: fixed(qty, 3),
            stopPrice: fixed(stopLoss, 2),
            reduceOnly: true,
            submittedAt: new Date(r.at.getTime() + 400),
            ...link,
          });
    balanceCents -= feeCents;
    const holding: Holding = {
      symbol: r.symbol,
      side: r.side,
      qty,
      entry: r.price,
      leverage: r.leverage,
      marginCents: r.marginCents,
      entryFeeCents: feeCents,
      stopLoss,
      liquidation,
      trade,
      position,
      stopOrder,
      openedAt: r.at,
      checkedUntil: r.at,
    };
    open.set(r.symbol, holding);
    return { holding, order };
  }

  async function closePosition(h: Holding, price: number, at: Date, kind: Exit['kind']): Promise<Exit> {
    const grossCents = cents((price - h.entry) * h.qty * dir(h.side));
    const exitFeeCents = cents(h.qty * price * (kind === 'liquidated' ? LIQUIDATION_FEE : TAKER_FEE));
    const realizedCents = grossCents - h.entryFeeCents - exitFeeCents;
    const link = { positionId: h.position.id, tradeId: h.trade.id, fee: usd(exitFeeCents), reduceOnly: true };
    let order: Order;
    if (kind === 'stop_loss' && h.stopOrder) {
      order = await store.update(orders, ordersInsertSchema, h.stopOrder, {
        status: 'filled',
        filledQuantity: fixed(h.qty, 3),
        averageFillPrice: fixed(price, 2),
        fee: usd(exitFeeCents),
        feeCurrency: 'USDT',
        filledAt: at,
      });
    } else {
      if (h.stopOrder)
        await store.update(orders, ordersInsertSchema, h.stopOrder, { status: 'cancelled', cancelledAt: at });
      order = await marketOrder(
        h,
        h.qty,
        price,
        at,
        kind === 'liquidated'
          ? {
              ...link,
              clientOrderId: `autoclose-${h.trade.tradeId}`,
              exchangeResponse: { status: 'FILLED', type: 'LIQUIDATION' },
            }
          : { ...link, exchangeResponse: { status: 'FILLED', type: 'MARKET' } },
      );
    }
    await store.update(trades, tradesInsertSchema, h.trade, {
      action: kind === 'liquidated' ? 'liquidated' : 'close',
      exitPrice: fixed(price, 2),
      exitTime: at,
      realizedPnl: usd(realizedCents),
      realizedPnlPct: fixed((realizedCents / h.marginCents) * 100, 4),
      fee: usd(h.entryFeeCents + exitFeeCents),
    });
    await store.update(positions, positionsInsertSchema, h.position, {
      status: kind === 'liquidated' ? 'liquidated' : 'closed',
      currentPrice: fixed(price, 2),
      unrealizedPnl: '0',
      unrealizedPnlPct: '0',
    });
    balanceCents += grossCents - exitFeeCents;
    open.delete(h.symbol);
    if (kind !== 'close') {
      await store.insertOne(systemEvents, systemEventsInsertSchema, {
        eventType: kind === 'liquidated' ? 'position_liquidated' : 'stop_loss_filled',
        severity: kind === 'liquidated' ? 'error' : 'warning',
        message: `${h.symbol} ${h.side} ${kind === 'liquidated' ? 'liquidated' : 'stopped out'} at ${fixed(price, 2)}`,
        details: { realizedPnl: usd(realizedCents), leverage: h.leverage, stopLoss: h.stopLoss },
        symbol: h.symbol,
        exchange: 'binance',
        tradeId: h.trade.tradeId,
        positionId: h.position.id,
        createdAt: at,
      });
    }
    return { holding: h, price, at, kind, realizedCents, order };
  }

  /** Stop-losses and liquidations the market hit before `until`, in time order. */
  async function exitsBefore(until: Date): Promise<Exit[]> {
    const exits: Exit[] = [];
    for (const h of [...open.values()]) {
      for (const c of market.candlesBetween(h.symbol, h.checkedUntil, until)) {
        const span = (c.timeframe === '1h' ? 60 : 1) * 60_000;
        const [high, low, openPrice] = [Number(c.high), Number(c.low), Number(c.open)];
        const stop = h.stopLoss ?? NaN;
        const hit = (level: number) => (h.side === 'long' ? low <= level : high >= level);
        const kind = hit(stop) ? 'stop_loss' : hit(h.liquidation) ? 'liquidated' : undefined;
        if (!kind) continue;
        const level = kind === 'stop_loss' ? stop : h.liquidation;
        // Within the candle, when the price path crossed the level (open to extreme, linearly).
        const extreme = h.side === 'long' ? low : high;
        const fraction = Math.min(1, Math.max(0, (openPrice - level) / (openPrice - extreme || 1)));
        const at = new Date(
          Math.max(
            c.timestamp.getTime() + Math.round((fraction * span) / 60_000) * 60_000,
            h.openedAt.getTime() + 60_000,
          ),
        );
        exits.push(await closePosition(h, level, at, kind));
        break;
      }
      if (open.get(h.symbol) === h) h.checkedUntil = until;
    }
    return exits.sort((a, b) => a.at.getTime() - b.at.getTime());
  }

  /** Unrealized P&L in cents of every open position at the market's price at `at`. */
  const unrealizedCents = (at: Date, price = (s: Pair) => market.priceAt(s, at)) =>
    [...open.values()].reduce((sum, h) => sum + cents((price(h.symbol) - h.entry) * h.qty * dir(h.side)), 0);

  async function snapshot(at: Date, unrealized = unrealizedCents(at)) {
    const marginCents = [...open.values()].reduce((s, h) => s + h.marginCents, 0);
    await store.insertOne(accountSnapshots, accountSnapshotsInsertSchema, {
      exchange: 'binance',
      timestamp: at,
      currency: 'USDT',
      balance: usd(balanceCents),
      equity: usd(balanceCents + unrealized),
      availableBalance: usd(balanceCents - marginCents),
      marginUsed: usd(marginCents),
      unrealizedPnl: usd(unrealized),
      openPositions: open.size,
      rawJson: { source: 'demo', positions: [...open.keys()] },
    });
    return { balanceCents, equityCents: balanceCents + unrealized };
  }

  return { open, openPosition, closePosition, exitsBefore, snapshot, balance: () => balanceCents };
}

export type Broker = ReturnType<typeof broker>;
