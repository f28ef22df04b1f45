/**
 * `cli import <files or folders…> --out <dir>`: historical files into the recording layout. Each CSV
 * is recognised by its content (a Tardis header) or its name (Binance public data); the venue comes
 * from the Tardis `exchange` column, the Binance file's path (`/spot/`, `/futures/um/`) or
 * `--exchange`. Rows go through the recorder (ParquetSink), so the files, columns and partitions are
 * the ones `npm start` writes; the manifest lists what is held.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { configuredInstruments } from '../../config/instruments.ts';
import { binanceFileName, parseBinancePublicCsv } from '../../core/import/binance-public-csv.ts';
import type { ParsedFile } from '../../core/import/import-record.ts';
import { isTardisCsv, parseTardisCsv } from '../../core/import/tardis-csv.ts';
import { type ExchangeId, isExchangeId } from '../../core/market/exchange.ts';
import type { Instrument } from '../../core/market/instrument.ts';
import { Recorder } from '../../fargate/recorder/recorder.ts';
import { type ProgressSink, progressBar } from '../backtest/progress-bar.ts';
import { ParquetSink } from '../storage/parquet-sink.ts';
import { importInstrument } from './import-instrument.ts';
import { addRange, holdsSource, readManifest, writeManifest } from './import-manifest.ts';
import { isImportFile, readImportFile } from './read-import-file.ts';
import { writeParsedFile } from './write-parsed-file.ts';

/** Tardis exchange names of the venues the platform has. */
const TARDIS_VENUES: Readonly<Record<string, ExchangeId>> = {
  binance: 'binance',
  'binance-futures': 'binance-futures',
  bybit: 'bybit',
  'bybit-spot': 'bybit',
  coinbase: 'coinbase',
  kraken: 'kraken',
  kucoin: 'kucoin',
};

export interface ImportOptions {
  readonly out: string;
  readonly exchange?: ExchangeId;
  readonly quiet?: boolean;
  /** Instruments to take scales from (default config/instruments.json). */
  readonly instruments?: readonly Instrument[];
}

export interface FileOutcome {
  readonly path: string;
  readonly status: 'imported' | 'skipped' | 'refused';
  readonly dataset?: string;
  readonly exchange?: string;
  readonly symbol?: string;
  readonly rows: number;
  readonly rejected: Record<string, number>;
  readonly examples: readonly string[];
  readonly timestampUnit?: string;
  readonly note?: string;
}

export interface ImportSummary {
  readonly out: string;
  readonly files: FileOutcome[];
  readonly rows: number;
  readonly rejected: number;
}

function inputs(paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (p: string): void => {
    if (statSync(p).isDirectory()) {
      for (const e of readdirSync(p).sort()) walk(join(p, e));
    } else if (isImportFile(p)) out.push(p);
  };
  for (const p of paths) walk(p);
  return out;
}

function binanceMarket(
  path: string,
  given: ExchangeId | undefined,
): 'binance' | 'binance-futures' | undefined {
  if (given === 'binance' || given === 'binance-futures') return given;
  if (/[\\/]futures[\\/]um[\\/]/.test(path)) return 'binance-futures';
  if (/[\\/]spot[\\/]/.test(path)) return 'binance';
  return undefined;
}

function parse(
  path: string,
  name: string,
  text: string,
  given: ExchangeId | undefined,
): { file: ParsedFile; exchange: ExchangeId; interval?: string } | string {
  const firstLine = text.slice(0, Math.max(0, text.indexOf('\n')) || text.length);
  if (isTardisCsv(firstLine)) {
    const file = parseTardisCsv(text);
    const exchange = given ?? TARDIS_VENUES[file.vendorExchange];
    if (!exchange)
      return `Tardis exchange "${file.vendorExchange}" is not a venue here (${Object.keys(TARDIS_VENUES).join(', ')}); --exchange names one`;
    return { file, exchange };
  }
  const binance = binanceFileName(name);
  if (binance) {
    const market = binanceMarket(path, given);
    if (!market)
      return 'a Binance public data file outside spot/ or futures/um/: say which with --exchange binance|binance-futures';
    return {
      file: parseBinancePublicCsv(text, binance, market),
      exchange: market,
      ...(binance.interval ? { interval: binance.interval } : {}),
    };
  }
  return 'neither a Tardis CSV (header exchange,symbol,timestamp,local_timestamp,…) nor a Binance public data file (SYMBOL-aggTrades|trades|bookTicker|<interval>-YYYY-MM[-DD].csv)';
}

export async function runImport(paths: readonly string[], options: ImportOptions): Promise<ImportSummary> {
  if (options.exchange !== undefined && !isExchangeId(options.exchange))
    throw new Error(`--exchange ${options.exchange}: not a venue`);
  const files = inputs(paths);
  if (files.length === 0) throw new Error(`no .csv, .csv.gz or .zip files in ${paths.join(', ')}`);
  const out = resolve(options.out);
  const manifest = readManifest(out);
  const configured = options.instruments ?? configuredInstruments();
  const recorder = new Recorder({ sink: await ParquetSink.open({ root: out }), pollIntervalMs: 0 });
  const bar: ProgressSink = progressBar({
    label: 'import',
    unit: 'files',
    ...(options.quiet ? { quiet: true } : {}),
  });
  const outcomes: FileOutcome[] = [];
  try {
    for (let i = 0; i < files.length; i++) {
      const path = files[i]!;
      bar.update(i, files.length);
      const bytes = statSync(path).size;
      const source = resolve(path);
      if (holdsSource(manifest, source, bytes)) {
        outcomes.push({
          path,
          status: 'skipped',
          rows: 0,
          rejected: {},
          examples: [],
          note: 'already in the manifest',
        });
        continue;
      }
      for (const csv of readImportFile(path)) {
        const parsed = parse(path, csv.name, csv.text, options.exchange);
        if (typeof parsed === 'string') {
          outcomes.push({ path, status: 'refused', rows: 0, rejected: {}, examples: [], note: parsed });
          continue;
        }
        const { file, exchange } = parsed;
        const instrument = importInstrument(exchange, file, configured);
        if (!instrument) {
          outcomes.push({
            path,
            status: 'refused',
            rows: 0,
            rejected: {},
            examples: [],
            note: `unknown symbol ${exchange}:${file.venueSymbol}`,
          });
          continue;
        }
        const counts = writeParsedFile(file, instrument, recorder, parsed.interval);
        await recorder.flush();
        const rows = counts.bookRows + counts.trades + counts.klines;
        if (rows > 0)
          addRange(manifest, `${exchange}/${instrument.symbol}`, {
            dataset: file.dataset,
            fromTs: counts.firstTs,
            toTs: counts.lastTs,
            rows,
            source,
            bytes,
          });
        outcomes.push({
          path,
          status: 'imported',
          dataset: file.dataset,
          exchange,
          symbol: instrument.symbol,
          rows,
          rejected: Object.fromEntries(file.rejected),
          examples: file.rejectExamples,
          ...(file.timestampUnit ? { timestampUnit: file.timestampUnit } : {}),
          ...(counts.notStored > 0
            ? { note: `${counts.notStored} rows parsed, not stored (no table for ${file.dataset})` }
            : {}),
          ...(counts.crossed > 0
            ? { note: `${counts.crossed} crossed books (stored as the vendor had them)` }
            : {}),
        });
      }
    }
    bar.update(files.length, files.length);
  } finally {
    bar.stop();
    await recorder.close();
  }
  const stats = recorder.stats();
  const lost =
    stats.book.failed +
    stats.trade.failed +
    stats.raw.failed +
    stats.book.dropped +
    stats.trade.dropped +
    stats.raw.dropped;
  if (lost > 0) throw new Error(`import: ${lost} rows could not be written to ${out}`);
  writeManifest(out, manifest);
  return {
    out,
    files: outcomes,
    rows: outcomes.reduce((n, f) => n + f.rows, 0),
    rejected: outcomes.reduce((n, f) => n + Object.values(f.rejected).reduce((a, b) => a + b, 0), 0),
  };
}

export function formatImport(s: ImportSummary): string {
  const lines = [`import into ${s.out}`];
  for (const f of s.files) {
    const what = f.dataset ? `${f.dataset} ${f.exchange} ${f.symbol}` : '';
    const rej = Object.entries(f.rejected)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    lines.push(
      `  ${f.status.padEnd(8)} ${f.path}${what ? `: ${what}` : ''}${f.rows ? `, ${f.rows.toLocaleString('en-US')} rows` : ''}` +
        `${f.timestampUnit ? ` (timestamps in ${f.timestampUnit})` : ''}${rej ? `; refused rows: ${rej}` : ''}${f.note ? ` — ${f.note}` : ''}`,
    );
    for (const e of f.examples) lines.push(`           ${e}`);
  }
  lines.push(`${s.rows.toLocaleString('en-US')} rows stored, ${s.rejected.toLocaleString('en-US')} refused`);
  return lines.join('\n');
}
