/**
 * Tardis.dev CSV datasets (docs.tardis.dev "Downloadable CSV files"): the dataset is recognised from
 * the header, every file starts `exchange,symbol,timestamp,local_timestamp` (µs since epoch;
 * `timestamp` is the exchange's time, `local_timestamp` Tardis's receive time, which becomes ours).
 *
 * - incremental_book_L2: `is_snapshot,side,price,amount` — consecutive rows with one local_timestamp
 *   form one message; a run of `is_snapshot=true` rows replaces the book (a new run after updates
 *   means Tardis reconnected: the book is reset), amount 0 removes the level;
 * - book_snapshot_N: `asks[0].price,asks[0].amount,bids[0].price,bids[0].amount,…` — every row is
 *   the whole top N (empty fields where the book is thinner);
 * - trades: `id,side,price,amount` (side buy/sell = the taker's; `unknown` kept);
 * - quotes: `ask_amount,ask_price,bid_price,bid_amount` — the top of book as a one-level snapshot;
 * - derivative_ticker: `funding_timestamp,funding_rate,predicted_funding_rate,open_interest,
 *   last_price,index_price,mark_price` — parsed and counted (the recording has no table for it).
 *
 * Prices and sizes stay exact decimal strings; a malformed row is refused, counted, never guessed.
 */
import {
  type BookRecord,
  type ImportDataset,
  integerField,
  isPlainDecimal,
  type LevelChange,
  type ParsedFile,
  reject,
} from './import-record.ts';

const COMMON = ['exchange', 'symbol', 'timestamp', 'local_timestamp'];
const SNAPSHOT_FIELD = /^(asks|bids)\[(\d+)\]\.(price|amount)$/;

/** The dataset a Tardis header describes; undefined when it is not a Tardis file. */
export function tardisDataset(header: readonly string[]): ImportDataset | undefined {
  if (COMMON.some((c, i) => header[i] !== c)) return undefined;
  const rest = header.slice(4).join(',');
  if (rest === 'is_snapshot,side,price,amount') return 'incremental_book_L2';
  if (rest === 'id,side,price,amount') return 'trades';
  if (rest === 'ask_amount,ask_price,bid_price,bid_amount') return 'quotes';
  if (header.includes('funding_rate') || header.includes('mark_price')) return 'derivative_ticker';
  if (header.length > 4 && header.slice(4).every((h) => SNAPSHOT_FIELD.test(h))) return 'book_snapshot';
  return undefined;
}

export function isTardisCsv(firstLine: string): boolean {
  return tardisDataset(firstLine.trim().split(',')) !== undefined;
}

function lines(text: string): string[] {
  const out = text.split('\n');
  if (out.length > 0 && out[out.length - 1] === '') out.pop();
  for (let i = 0; i < out.length; i++) if (out[i]!.endsWith('\r')) out[i] = out[i]!.slice(0, -1);
  return out;
}

const level = (bid: boolean, price: string, size: string): LevelChange => ({ bid, price, size });

export function parseTardisCsv(text: string): ParsedFile {
  const all = lines(text);
  const header = (all[0] ?? '').split(',');
  const dataset = tardisDataset(header);
  if (!dataset)
    throw new Error(`not a Tardis CSV file: header ${JSON.stringify((all[0] ?? '').slice(0, 120))}`);
  const file: ParsedFile = {
    dataset,
    vendorExchange: '',
    venueSymbol: '',
    records: [],
    rejected: new Map(),
    rejectExamples: [],
    timestampUnit: 'us',
  };
  const snapshotColumns = header.map((h) => SNAPSHOT_FIELD.exec(h));
  let pending: { localTs: number; snapshot: boolean; changes: LevelChange[]; exchangeTs: number } | undefined;
  const flush = (): void => {
    if (pending && pending.changes.length > 0) {
      const record: BookRecord = { type: 'book', ...pending };
      file.records.push(record);
    }
    pending = undefined;
  };
  for (let n = 1; n < all.length; n++) {
    const line = all[n]!;
    if (line === '') continue;
    const f = line.split(',');
    const exchangeTs = integerField(f[2]);
    const localTs = integerField(f[3]);
    if (f.length !== header.length) {
      reject(file, 'malformed', n + 1, `${f.length} fields, header has ${header.length}`);
      continue;
    }
    if (!(localTs > 0) || !(exchangeTs >= 0)) {
      reject(file, 'bad_number_form', n + 1, 'timestamp');
      continue;
    }
    if (file.vendorExchange === '') {
      (file as { vendorExchange: string }).vendorExchange = f[0]!;
      (file as { venueSymbol: string }).venueSymbol = f[1]!;
    } else if (f[0] !== file.vendorExchange || f[1] !== file.venueSymbol) {
      reject(file, 'unknown_symbol', n + 1, 'a second exchange or symbol in one file');
      continue;
    }
    switch (dataset) {
      case 'incremental_book_L2': {
        const snapshot = f[4] === 'true';
        const side = f[5];
        const price = f[6]!;
        const size = f[7]!;
        if ((f[4] !== 'true' && f[4] !== 'false') || (side !== 'bid' && side !== 'ask')) {
          reject(file, 'malformed', n + 1, 'is_snapshot or side');
          continue;
        }
        if (!isPlainDecimal(price) || !isPlainDecimal(size)) {
          reject(file, size.startsWith('-') ? 'negative_size' : 'bad_decimal', n + 1, 'price or amount');
          continue;
        }
        if (!pending || pending.localTs !== localTs || pending.snapshot !== snapshot) {
          // A snapshot run continues across timestamps until an update row ends it.
          if (pending && snapshot && pending.snapshot) {
            pending.changes.push(level(side === 'bid', price, size));
            continue;
          }
          flush();
          pending = { localTs, exchangeTs, snapshot, changes: [] };
        }
        pending.changes.push(level(side === 'bid', price, size));
        break;
      }
      case 'book_snapshot': {
        const changes: LevelChange[] = [];
        let bad = false;
        for (let i = 4; i < f.length; i++) {
          const m = snapshotColumns[i]!;
          if (m[3] !== 'price') continue;
          const price = f[i]!;
          const size = f[i + 1] ?? '';
          if (price === '' && size === '') continue; // the book is thinner than N
          if (!isPlainDecimal(price) || !isPlainDecimal(size)) bad = true;
          else changes.push(level(m[1] === 'bids', price, size));
        }
        if (bad) {
          reject(file, 'bad_decimal', n + 1, 'a level');
          continue;
        }
        file.records.push({ type: 'book', localTs, exchangeTs, snapshot: true, changes });
        break;
      }
      case 'quotes': {
        const [askSize, askPrice, bidPrice, bidSize] = [f[4]!, f[5]!, f[6]!, f[7]!];
        const changes: LevelChange[] = [];
        if (bidPrice !== '' && isPlainDecimal(bidPrice) && isPlainDecimal(bidSize))
          changes.push(level(true, bidPrice, bidSize));
        if (askPrice !== '' && isPlainDecimal(askPrice) && isPlainDecimal(askSize))
          changes.push(level(false, askPrice, askSize));
        if (changes.length !== [bidPrice, askPrice].filter((p) => p !== '').length) {
          reject(file, 'bad_decimal', n + 1, 'a quote');
          continue;
        }
        file.records.push({ type: 'book', localTs, exchangeTs, snapshot: true, changes });
        break;
      }
      case 'trades': {
        const [id, side, price, size] = [f[4]!, f[5]!, f[6]!, f[7]!];
        if (side !== 'buy' && side !== 'sell' && side !== 'unknown') {
          reject(file, 'malformed', n + 1, 'side');
          continue;
        }
        if (!isPlainDecimal(price) || !isPlainDecimal(size)) {
          reject(file, size.startsWith('-') ? 'negative_size' : 'bad_decimal', n + 1, 'price or amount');
          continue;
        }
        file.records.push({ type: 'trade', localTs, exchangeTs, id, side, price, size });
        break;
      }
      case 'derivative_ticker': {
        const fields: Record<string, string> = {};
        for (let i = 4; i < header.length; i++) fields[header[i]!] = f[i]!;
        file.records.push({ type: 'ticker', localTs, exchangeTs, fields });
        break;
      }
      default:
        break;
    }
  }
  flush();
  return file;
}
