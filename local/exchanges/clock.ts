/**
 * The simulators' time: the receive-time reading of the one Clock (core/time/clock.ts), integer µs
 * since the epoch with sub-millisecond resolution. The simulators only stamp times with it (their
 * pacing runs on Node timers), so they take this one reading; tests pin it with a function.
 */
import type { Clock as FullClock } from '../../core/time/clock.ts';
import { systemClock } from '../../fargate/connectors/clock.ts';

export type Clock = FullClock['nowMicros'];

const system = systemClock();

export const wallClock: Clock = () => system.nowMicros();
