export { buildTape, buildTapeWithReport, type CaptureSource, type TapeBuildOptions } from './capture-tape.ts';
export { type ClockSkewMode, DEFAULT_MIN_FEED_LATENCY_US } from './clock-skew.ts';
export { EventFlag, EventKind } from './event-kind.ts';
export { loopTape } from './loop-tape.ts';
export { Tape, type TapeSource } from './tape.ts';
export { TapeWriter } from './tape-writer.ts';
export { topLevelsTape } from './top-levels.ts';
