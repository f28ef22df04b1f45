export { Engine, type EngineMode, type EngineStats, type Progress } from './engine.ts';
export {
  DEFAULT_FAST_LEVELS,
  type FastModeError,
  fastModeTape,
  formatFastModeError,
  measureFastModeError,
  type RunSummary,
  summarize,
} from './fast-mode.ts';
export { type BacktestOptions, type BacktestRun, runBacktest, runBacktestWithStats } from './run-backtest.ts';
