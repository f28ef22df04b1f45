/** Local exchange simulators: see README.md. */
export { type Clock, wallClock } from './clock.ts';
export { type BookComparison, compareBook } from './compare-book.ts';
export {
  type ChecksumFaults,
  FAULT_KINDS,
  type FaultKind,
  type FaultTarget,
  type RefusalStatus,
  type VenueFaults,
} from './server/faults.ts';
export type { VenueUrls } from './server/venue-server.ts';
export { captureTimeline } from './sources/capture-timeline.ts';
export { DEFAULT_CAPTURES, defaultCaptures, FIXTURES_DIR } from './sources/default-captures.ts';
export type { MarketSource } from './sources/market-source.ts';
export { ReplaySource, type ReplaySpeed } from './sources/replay-source.ts';
export { SyntheticSource, syntheticInstrument } from './sources/synthetic-source.ts';
export type { Timeline } from './sources/timeline.ts';
export {
  type SimulatedVenues,
  type SimulatorOptions,
  type Simulators,
  startSimulators,
  timelineFor,
} from './start-simulators.ts';
export { type TrueBook, VenueMarket } from './truth/venue-market.ts';
