/** The risk concern: the pre-trade gate, its limits, the circuit breaker and sizing helpers. */
export { adminTokenMatches } from './admin-token.ts';
export {
  type BreakerAction,
  type BreakerAlert,
  type BreakerTrigger,
  CircuitBreaker,
  type ResetResult,
} from './circuit-breaker.ts';
export { DEFAULT_KELLY_FRACTION, kellyFromMoments, kellyFromOdds, kellySizeUnits } from './kelly.ts';
export {
  type AmendRequest,
  type CheckAccount,
  CheckedAmend,
  CheckedOrder,
  type CheckLimits,
  checkAmend,
  checkOrder,
  notional,
  type OrderRequest,
  type PricingBook,
} from './order-check.ts';
export {
  type InstrumentLimits,
  type LimitProblems,
  type ResolvedGroup,
  type ResolvedLimits,
  resolveLimits,
} from './resolved-limits.ts';
export type { RiskAccount } from './risk-account.ts';
export { type EventClock, RiskGate } from './risk-gate.ts';
export { type RiskParams, type RiskParamsInput, riskParamsSchema, type SymbolLimits } from './risk-params.ts';
export { isRiskRefusal, RiskRefusal } from './risk-refusal.ts';
export { shrinksPosition, TRADING_STATES, type TradingState, type TradingStatus } from './trading-state.ts';
