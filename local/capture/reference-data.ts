/**
 * Instruments for replaying a capture: the configured ones, plus the venue's reference data when the
 * recorder saved it beside the capture (cryptofeed writes REST products/asset pairs to
 * `cryptofeed_<VENUE>.0`). Config wins over reference data: it is what the user chose.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { configuredInstruments } from '../../config/instruments.ts';
import { parseCaptureLine } from '../../core/capture/capture-record.ts';
import type { Instrument } from '../../core/market/instrument.ts';
import { InstrumentRegistry } from '../../core/market/instrument-registry.ts';
import { parseCoinbaseProducts } from '../../core/venues/coinbase/products.ts';
import { parseKrakenAssetPairs } from '../../core/venues/kraken/asset-pairs.ts';
import { forEachCaptureLineSync } from './capture-lines.ts';

type ReferenceParser = (url: string, body: string) => Instrument[];

/** Reference-data files a recorder may leave beside a capture, and the venue parser for each. */
const parsers: ReadonlyArray<{ file: RegExp; parse: ReferenceParser }> = [
  {
    file: /^cryptofeed_KRAKEN\.0(\.gz)?$/,
    parse: (url, body) => (/AssetPairs/.test(url) ? (parseKrakenAssetPairs(body)?.instruments ?? []) : []),
  },
  {
    file: /^cryptofeed_COINBASE\.0(\.gz)?$/,
    parse: (url, body) => (/\/products(\?|$)/.test(url) ? parseCoinbaseProducts(body).instruments : []),
  },
];

function referenceInstruments(dir: string): Instrument[] {
  if (!existsSync(dir)) return [];
  const out: Instrument[] = [];
  for (const name of readdirSync(dir)) {
    const parser = parsers.find((p) => p.file.test(name));
    if (!parser) continue;
    forEachCaptureLineSync(join(dir, name), (line) => {
      const record = parseCaptureLine(line);
      if (record?.kind === 'rest') out.push(...parser.parse(record.url, record.body));
    });
  }
  return out;
}

/** Reference data beside the capture, then the configured instruments (later entries win). */
export function instrumentsFor(capturePath: string): Instrument[] {
  return [...referenceInstruments(dirname(capturePath)), ...configuredInstruments()];
}

export function instrumentRegistryFor(capturePath: string): InstrumentRegistry {
  return new InstrumentRegistry(instrumentsFor(capturePath));
}
