/**
 * The simulators' clock: integer microseconds since the Unix epoch, with sub-millisecond resolution
 * (Date.now() alone would put every message of a millisecond at the same time). Injectable so tests
 * can pin it.
 */
import { performance } from 'node:perf_hooks';
import type { Micros } from '../../core/market/events.ts';

export type Clock = () => Micros;

export const wallClock: Clock = () => Math.trunc((performance.timeOrigin + performance.now()) * 1000);
