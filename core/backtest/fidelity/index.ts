export {
  DEFAULT_FIDELITY_MODELS,
  type FidelityOptions,
  type FidelityReport,
  type FidelityRow,
  formatFidelityTable,
  runFidelityCheck,
} from './fidelity-check.ts';
export { type ProbeWindow, type Truth, type TruthClass, tradeImpliedTruth } from './trade-truth.ts';
