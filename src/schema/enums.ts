/** Value lists, each stored as varchar + CHECK (see `columnChecks`). */
/** Candle intervals; '1M' is one calendar month (case-sensitive: '1m' is one minute). */
export const TIMEFRAMES = [
  '1m',
  '3m',
  '5m',
  '15m',
  '30m',
  '1h',
  '2h',
  '4h',
  '6h',
  '8h',
  '12h',
  '1d',
  '3d',
  '1w',
  '1M',
] as const;
export const POSITION_SIDES = ['long', 'short'] as const;
export const ORDER_SIDES = ['buy', 'sell'] as const;
export const TRADE_ACTIONS = ['open', 'close', 'liquidated'] as const;
export const POSITION_STATUSES = ['open', 'closed', 'liquidated'] as const;
export const ORDER_TYPES = [
  'market',
  'limit',
  'stop_market',
  'stop_limit',
  'take_profit_market',
  'take_profit_limit',
] as const;
/** Order types that rest at a limit price and so need `price`. */
export const PRICED_ORDER_TYPES = ['limit', 'stop_limit', 'take_profit_limit'] as const;
/** Order types that trigger at a stop price and so need `stop_price`. */
export const TRIGGERED_ORDER_TYPES = ['stop_market', 'stop_limit', 'take_profit_market', 'take_profit_limit'] as const;
export const ORDER_STATUSES = [
  'pending',
  'open',
  'partially_filled',
  'filled',
  'cancelled',
  'rejected',
  'expired',
] as const;
/** Statuses of an order still live on the exchange. */
export const OPEN_ORDER_STATUSES = ['pending', 'open', 'partially_filled'] as const;
export const FEAR_GREED_CLASSES = ['extreme_fear', 'fear', 'neutral', 'greed', 'extreme_greed'] as const;
export const SIGNAL_DIRECTIONS = ['bullish', 'bearish', 'neutral'] as const;
export const LLM_SENTIMENTS = ['bullish', 'bearish', 'neutral', 'uncertain'] as const;
export const LLM_ANALYSIS_STATUSES = ['success', 'error', 'timeout', 'cached'] as const;
export const ML_ACTIONS = ['long', 'short', 'hold', 'close'] as const;
export const DECISION_ACTIONS = ['long', 'short', 'close', 'hold', 'vetoed'] as const;
export const BREAKER_TRIGGER_TYPES = [
  'max_daily_loss',
  'max_drawdown',
  'rapid_loss',
  'consecutive_losses',
  'position_limit',
  'exchange_error',
  'network_issue',
  'manual',
] as const;
export const BREAKER_STATUSES = ['active', 'resolved', 'overridden', 'expired'] as const;
export const BREAKER_SEVERITIES = ['info', 'warning', 'critical', 'emergency'] as const;
export const KILL_SWITCH_SOURCES = [
  'manual',
  'api',
  'circuit_breaker_cascade',
  'system_health',
  'exchange_emergency',
  'security_alert',
  'critical_error',
] as const;
export const KILL_SWITCH_STATUSES = ['active', 'deactivated', 'partial_recovery'] as const;
export const KILL_SWITCH_SEVERITIES = ['warning', 'critical', 'emergency'] as const;
export const LLM_CALL_STATUSES = ['success', 'error', 'timeout'] as const;
export const EVENT_SEVERITIES = ['debug', 'info', 'warning', 'error', 'critical'] as const;
