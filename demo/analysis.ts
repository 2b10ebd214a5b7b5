/**
 * One decision round: technical, LLM and ML analyses are stored, then a small
 * rule engine decides (enter with technical + ML agreement, veto when the
 * LLM strongly disagrees or isTradingAllowed() says no, exit on an ML close
 * or an opposing signal) and the broker executes.
 */
import type { Db } from '../src/db.ts';
import { isTradingAllowed } from '../src/functions/index.ts';
import {
  llmAnalyses,
  llmAnalysisLog,
  mlPredictions,
  systemEvents,
  technicalSignals,
  tradingDecisions,
  type LlmAnalysis,
  type MlPrediction,
  type TechnicalSignal,
} from '../src/schema/index.ts';
import {
  llmAnalysesInsertSchema,
  llmAnalysisLogInsertSchema,
  mlPredictionsInsertSchema,
  systemEventsInsertSchema,
  technicalSignalsInsertSchema,
  tradingDecisionsInsertSchema,
} from '../src/validation/index.ts';
import type { Broker, Exit, Side } from './broker.ts';
import { fixed, prng, rsi, type Market, type Pair } from './market.ts';
import { num, say } from './print.ts';
import type { Store } from './store.ts';

export interface Round {
  day: number;
  time: string;
  symbol: Pair;
  tech: ['bullish' | 'bearish' | 'neutral', number];
  llm: ['bullish' | 'bearish' | 'neutral' | 'uncertain', number];
  ml: ['long' | 'short' | 'hold' | 'close', number];
  /** The LLM answer came from the cache (no API call). */
  cached?: boolean;
}
export interface Analyses {
  round: Round;
  price: number;
  tech: TechnicalSignal;
  llm: LlmAnalysis;
  ml: MlPrediction;
}

const ema = (values: number[], period: number) => {
  const k = 2 / (period + 1);
  return values.reduce<number[]>((out, v, i) => [...out, i ? v * k + out[i - 1]! * (1 - k) : v], []);
};

function indicators(closes: number[]) {
  const macdLine = ema(closes, 12).map((v, i) => v - ema(closes, 26)[i]!);
  const histogram = macdLine.at(-1)! - ema(macdLine, 9).at(-1)!;
  const window = closes.slice(-20);
  const mean = window.reduce((s, v) => s + v, 0) / window.length;
  const sd = Math.sqrt(window.reduce((s, v) => s + (v - mean) ** 2, 0) / window.length) || 1;
  const bbPosition = (closes.at(-1)! - (mean - 2 * sd)) / (4 * sd);
  return { rsi: rsi(closes), histogram, bbPosition };
}

const SUMMARY: Record<Round['llm'][0], string> = {
  bullish: 'Buyers in control: higher lows on rising volume, funding still moderate.',
  bearish: 'Momentum fading: lower highs, spot demand weak, crowded positioning.',
  neutral: 'Range-bound: no catalyst, volume below average, wait for a break.',
  uncertain: 'Conflicting signals after the sell-off; liquidation cascade risk remains.',
};

export async function analyse(rows: Store, market: Market, r: Round, at: Date): Promise<Analyses> {
  const rand = prng([...`${r.day}${r.time}${r.symbol}`].reduce((h, ch) => Math.imul(h, 31) + ch.charCodeAt(0), 7));
  const price = market.priceAt(r.symbol, at);
  const closes = market
    .candlesBetween(r.symbol, new Date(0), at)
    .filter((c) => c.timestamp < at)
    .map((c) => Number(c.close));
  const ind = indicators(closes.length ? closes : [price]);
  const counts = { bullish: [4, 1, 1], bearish: [1, 4, 1], neutral: [2, 1, 3] }[r.tech[0]];
  const tech = await rows.insertOne(technicalSignals, technicalSignalsInsertSchema, {
    symbol: r.symbol,
    timestamp: at,
    overallSignal: r.tech[0],
    confidence: fixed(r.tech[1], 4),
    bullishCount: counts[0],
    bearishCount: counts[1],
    neutralCount: counts[2],
    timeframe: '1h',
    rsiValue: fixed(ind.rsi, 4),
    rsiSignal: ind.rsi < 30 ? 'oversold' : ind.rsi > 70 ? 'overbought' : 'neutral',
    macdHistogram: fixed(ind.histogram, 8),
    macdSignal: ind.histogram >= 0 ? 'bullish' : 'bearish',
    bbPosition: fixed(ind.bbPosition, 4),
    bbSignal: ind.bbPosition > 1 ? 'above' : ind.bbPosition < 0 ? 'below' : 'inside',
    indicatorsJson: {
      rsi: { period: 14, value: Number(ind.rsi.toFixed(2)) },
      macd: { fast: 12, slow: 26, signal: 9 },
      bollinger: { period: 20, k: 2 },
    },
  });
  const promptTokens = Math.round(rand.between(1100, 1400));
  const completionTokens = Math.round(rand.between(150, 260));
  const cost = r.cached ? 0 : promptTokens * 0.15e-6 + completionTokens * 0.6e-6;
  const latency = r.cached ? 4 : Math.round(rand.between(900, 2600));
  const summary = `${r.symbol} at ${num(price)}: ${SUMMARY[r.llm[0]]}`;
  const llm = await rows.insertOne(llmAnalyses, llmAnalysesInsertSchema, {
    symbol: r.symbol,
    timestamp: at,
    sentiment: r.llm[0],
    confidence: fixed(r.llm[1], 4),
    summary,
    model: 'gpt-4o-mini',
    keyFactorsJson: [`RSI ${ind.rsi.toFixed(0)}`, `technical ${r.tech[0]}`, 'funding rate', 'fear & greed'],
    cached: r.cached ?? false,
    status: r.cached ? 'cached' : 'success',
    temperature: '0.20',
    responseTimeMs: latency,
    promptTokens: r.cached ? 0 : promptTokens,
    completionTokens: r.cached ? 0 : completionTokens,
    totalTokens: r.cached ? 0 : promptTokens + completionTokens,
    estimatedCost: fixed(cost, 6),
  });
  if (!r.cached) {
    await rows.insertOne(llmAnalysisLog, llmAnalysisLogInsertSchema, {
      analysisType: 'market_sentiment',
      symbol: r.symbol,
      exchange: 'binance',
      promptTemplate: 'market_sentiment_v2',
      promptTokens,
      responseTokens: completionTokens,
      totalTokens: promptTokens + completionTokens,
      responseJson: { sentiment: r.llm[0], confidence: r.llm[1], summary },
      estimatedCost: fixed(cost, 6),
      modelName: 'gpt-4o-mini',
      temperature: '0.20',
      status: 'success',
      executionTimeMs: latency,
      createdAt: at,
    });
  }
  const [action, c] = r.ml;
  const rest = 1 - c;
  const probs =
    action === 'long'
      ? [c, rest * 0.4, rest * 0.6]
      : action === 'short'
        ? [rest * 0.4, c, rest * 0.6]
        : action === 'hold'
          ? [rest * 0.5, rest * 0.5, c]
          : [rest * 0.3, rest * 0.3, rest * 0.4];
  const ml = await rows.insertOne(mlPredictions, mlPredictionsInsertSchema, {
    symbol: r.symbol,
    timestamp: at,
    action,
    confidence: fixed(c, 4),
    probLong: fixed(probs[0]!, 4),
    probShort: fixed(probs[1]!, 4),
    probHold: fixed(probs[2]!, 4),
    featureImportanceJson: { rsi_14: 0.21, macd_hist: 0.17, funding_rate: 0.14, volume_z: 0.12, fear_greed: 0.09 },
    modelVersion: 'xgb-2025.05-r3',
    modelType: 'xgboost',
    predictionTimeMs: Math.round(rand.between(6, 20)),
    featuresUsed: 42,
    historicalAccuracy: '0.6120',
  });
  return { round: r, price, tech, llm, ml };
}

export interface DecideOptions {
  at: Date;
  maxLeverage: number;
  marginShare: number;
  onExit(exit: Exit): Promise<void>;
}

export async function decide(db: Db, rows: Store, account: Broker, a: Analyses, o: DecideOptions): Promise<void> {
  const { round: r, price } = a;
  const holding = account.open.get(r.symbol);
  const opposes = (side: Side) => r.tech[0] === (side === 'long' ? 'bearish' : 'bullish');
  let action: 'long' | 'short' | 'close' | 'hold' = 'hold';
  if (holding) action = r.ml[0] === 'close' || opposes(holding.side) ? 'close' : 'hold';
  else if ((r.ml[0] === 'long' && r.tech[0] === 'bullish') || (r.ml[0] === 'short' && r.tech[0] === 'bearish'))
    action = r.ml[0];
  const confidence = fixed((r.tech[1] + r.llm[1] + r.ml[1]) / 3, 4);

  let veto: { source: string; reason: string } | undefined;
  if (action === 'long' || action === 'short') {
    const against = action === 'long' ? 'bearish' : 'bullish';
    if (r.llm[0] === against && r.llm[1] >= 0.7) {
      veto = { source: 'llm', reason: `LLM is ${r.llm[0]} (${r.llm[1].toFixed(2)}) against a ${action}` };
    } else {
      const guard = await isTradingAllowed(db, { symbol: r.symbol });
      if (!guard.allowed) veto = { source: 'circuit_breaker', reason: `isTradingAllowed: ${guard.reason}` };
    }
  }

  const head =
    `   ${r.time} ${r.symbol}  tech ${r.tech[0]} ${r.tech[1].toFixed(2)} · LLM ${r.llm[0]} ${r.llm[1].toFixed(2)}` +
    `${r.cached ? ' (cached)' : ''} · ML ${r.ml[0]} ${r.ml[1].toFixed(2)}  →  `;
  const base = {
    symbol: r.symbol,
    timestamp: o.at,
    confidence,
    technicalSignalId: a.tech.id,
    llmAnalysisId: a.llm.id,
    mlPredictionId: a.ml.id,
    entryPrice: fixed(price, 2),
    decisionLatencyMs: 40 + (a.ml.predictionTimeMs ?? 0) + (a.llm.responseTimeMs ?? 0),
    reasonsJson: { technical: r.tech, llm: r.llm, ml: r.ml, intended: action },
  };
  if (veto) {
    await rows.insertOne(tradingDecisions, tradingDecisionsInsertSchema, {
      ...base,
      action: 'vetoed',
      vetoed: true,
      vetoReason: veto.reason,
      vetoSource: veto.source,
    });
    if (veto.source === 'circuit_breaker') {
      await rows.insertOne(systemEvents, systemEventsInsertSchema, {
        eventType: 'decision_vetoed',
        severity: 'warning',
        message: `${action} ${r.symbol} blocked: ${veto.reason}`,
        symbol: r.symbol,
        details: { source: veto.source },
        createdAt: o.at,
      });
    }
    say(`${head}VETOED ${action} (${veto.source}): ${veto.reason}`);
  } else if (action === 'long' || action === 'short') {
    const leverage = Math.min(r.ml[1] >= 0.85 ? 10 : 3, o.maxLeverage);
    const marginCents = Math.floor(account.balance() * o.marginShare);
    const positionSizePct = fixed((marginCents / account.balance()) * 100, 2);
    // The aggressive 10x mode places no exchange stop (to dodge wicks): the flaw the crash exposes.
    const { holding: h, order } = await account.openPosition({
      symbol: r.symbol,
      side: action,
      price,
      leverage,
      marginCents,
      at: o.at,
      withStop: leverage <= 3,
      scores: { signal: confidence, technical: fixed(r.tech[1], 4), llm: fixed(r.llm[1], 4), ml: fixed(r.ml[1], 4) },
      reasons: base.reasonsJson,
      llm: { sentiment: r.llm[0], confidence: r.llm[1], summary: a.llm.summary, model: a.llm.model },
    });
    await rows.insertOne(tradingDecisions, tradingDecisionsInsertSchema, {
      ...base,
      action,
      leverage,
      positionSize: fixed((marginCents / 100) * leverage, 2),
      positionSizePct,
      stopLoss: h.stopLoss === null ? null : fixed(h.stopLoss, 2),
      takeProfit: h.trade.takeProfit,
      orderId: order.id,
      executed: true,
      executionPrice: fixed(price, 2),
      executedAt: o.at,
    });
    say(
      `${head}${action.toUpperCase()} ${h.qty.toFixed(3)} @ ${num(price)}, ${leverage}x, ` +
        `${h.stopLoss === null ? 'NO stop-loss' : `stop ${num(h.stopLoss)}`}, liquidation ${num(h.liquidation)}`,
    );
  } else if (action === 'close' && holding) {
    const exit = await account.closePosition(holding, price, o.at, 'close');
    await rows.insertOne(tradingDecisions, tradingDecisionsInsertSchema, {
      ...base,
      action: 'close',
      orderId: exit.order.id,
      executed: true,
      executionPrice: fixed(price, 2),
      executedAt: o.at,
    });
    say(
      `${head}CLOSE ${holding.side} @ ${num(price)}: realized ${num(exit.realizedCents / 100, 2, true)} USDT ` +
        `(${num((exit.realizedCents / holding.marginCents) * 100, 1, true)} % on margin)`,
    );
    await o.onExit(exit);
  } else {
    await rows.insertOne(tradingDecisions, tradingDecisionsInsertSchema, { ...base, action: 'hold' });
    say(`${head}HOLD${holding ? ` (${holding.side} open)` : ''}`);
  }
}
