/** Tapes of the bundled Binance BTCUSDT captures (built once per test worker). */
import { configuredInstruments } from '../../../../config/instruments.ts';
import { buildTape, type TapeBuildOptions } from '../../../../core/backtest/tape/capture-tape.ts';
import type { Tape } from '../../../../core/backtest/tape/tape.ts';
import { type Capture, readCapture } from '../../../../local/capture/read-capture.ts';
import { fixture } from '../../../support/fixtures.ts';

export const USDM = 'binance/hftbacktest_usdm_btcusdt_20240808.gz';
export const SPOT = 'binance/hftbacktest_spot_btcusdt_20240808.gz';

const captures = new Map<string, Capture>();
const tapes = new Map<string, Tape>();

export function capture(path: string): Capture {
  let c = captures.get(path);
  if (!c) {
    c = readCapture(fixture(path));
    captures.set(path, c);
  }
  return c;
}

export function source(path: string) {
  const c = capture(path);
  return { name: path, exchange: c.exchange, records: c.records };
}

/** The capture's tape with the configured instruments (cached for the default options). */
export function fixtureTape(path: string, options: TapeBuildOptions = {}): Tape {
  const key = Object.keys(options).length === 0 ? path : '';
  const cached = key ? tapes.get(key) : undefined;
  if (cached) return cached;
  const tape = buildTape([source(path)], { instruments: configuredInstruments(), ...options });
  if (key) tapes.set(key, tape);
  return tape;
}
