/**
 * Replay to the same decisions: a paper session recorded by `npm start` (raw frames and REST
 * snapshots under `<data dir>/raw`, the journal under `<data dir>/journal`) is fed again, in receive
 * order, through the same feeds, live trader, strategy, parameters, seed and models; the operator's
 * control events (kill, reset, parameter changes) are re-applied at the event time they were
 * journaled. The replay's order and fill sequence is compared with the session's journal.
 *
 * Only the last session in the journal is checked (each `npm start` is one session).
 */

import { loadFeeTable } from '../../config/fees.ts';
import { configuredInstruments } from '../../config/instruments.ts';
import { loadRiskParams, parseRiskParams } from '../../config/risk.ts';
import type { CaptureRecord } from '../../core/capture/capture-record.ts';
import type { ExchangeId } from '../../core/market/exchange.ts';
import { InstrumentRegistry } from '../../core/market/instrument-registry.ts';
import type { JournalEntry, JournalRecord, SessionRecord } from '../../core/oms/journal/journal-record.ts';
import { resolveSimConfig } from '../../core/sim/sim-config.ts';
import { defaultRegistry } from '../../core/strategy/registry.ts';
import { createFeed } from '../../core/venues/create-feed.ts';
import type { VenueFeed } from '../../core/venues/feed-types.ts';
import { readRawRecording } from '../../local/storage/read-raw-recording.ts';
import { journalDirOf } from '../journal/journal-files.ts';
import { readJournal } from '../journal/journal-reader.ts';
import { LiveTrader } from './live-trader.ts';
import { DEFAULT_MARKETS } from './open-trading.ts';

export interface Divergence {
  /** Position in the compared sequence (orders and fills, in journal order). */
  readonly index: number;
  readonly expected: string | null;
  readonly actual: string | null;
}

export interface ReplayCheckResult {
  readonly orders: number;
  readonly fills: number;
  readonly matched: number;
  readonly firstDivergence: Divergence | null;
}

/** One order or fill event as compared: what the decision was, not when the wall clock said it was. */
function decisionOf(r: JournalRecord | JournalEntry): string | null {
  if (r.kind === 'order')
    return `order ${r.orderId} ${r.event} ${r.status} ${r.exchange} ${r.side} ${r.type} ${r.price ?? 'mkt'} ${r.size} filled ${r.filled} @${r.ts}`;
  if (r.kind === 'fill')
    return `fill ${r.orderId} ${r.exchange} ${r.side} ${r.price} × ${r.size} ${r.maker ? 'maker' : 'taker'} @${r.ts}`;
  return null;
}

interface Timed {
  readonly exchange: ExchangeId;
  readonly record: CaptureRecord;
}

export async function replayCheck(dataDir: string): Promise<ReplayCheckResult> {
  const recorded: JournalRecord[] = [];
  for await (const r of readJournal(journalDirOf(dataDir)).records) recorded.push(r);
  let start = -1;
  for (let i = recorded.length - 1; i >= 0 && start < 0; i--) {
    const r = recorded[i]!;
    if (r.kind === 'session' && r.phase === 'start') start = i;
  }
  if (start < 0) throw new Error(`no trading session in ${journalDirOf(dataDir)}`);
  const session = recorded[start] as SessionRecord;
  const journal = recorded.slice(start + 1);
  const expected = journal.map(decisionOf).filter((d): d is string => d !== null);
  const controls = journal.filter((r) => r.kind === 'control');

  const instruments = configuredInstruments();
  const traded = DEFAULT_MARKETS.map(
    (m) => instruments.find((i) => i.exchange === m.exchange && i.venueSymbol === m.venueSymbol)!,
  );
  const actualRecords: JournalEntry[] = [];
  const REPLAY_TOKEN = 'replay';
  const trader = new LiveTrader({
    instruments: traded,
    registry: defaultRegistry(),
    strategy: session.strategy,
    overrides: (session.params ?? {}) as Record<string, unknown>,
    risk: loadRiskParams(),
    fees: loadFeeTable(),
    sim: resolveSimConfig({}),
    adminToken: REPLAY_TOKEN,
    seed: session.seed,
    instance: 1,
    epoch: session.epoch,
    journal: { append: (e) => actualRecords.push(e) },
  });
  // The state the session started in (a kill of an earlier session is still in force).
  for (const r of recorded.slice(0, start))
    if (r.kind === 'state') trader.kernel.gate.breaker.restore(r.breaker);

  const registry = new InstrumentRegistry(instruments);
  const feeds = new Map<ExchangeId, VenueFeed>();
  for (const inst of traded)
    if (!feeds.has(inst.exchange))
      feeds.set(
        inst.exchange,
        createFeed({
          exchange: inst.exchange,
          instruments: registry,
          listener: trader.listenerFor(inst.exchange),
        }),
      );

  const timeline: Timed[] = [];
  for (const capture of await readRawRecording(dataDir)) {
    if (!feeds.has(capture.exchange)) continue;
    for (const record of capture.records)
      if (record.localTs >= session.ts) timeline.push({ exchange: capture.exchange, record });
  }
  // Receive order across venues; the sort is stable, so each venue keeps its own order on ties.
  timeline.sort((a, b) => a.record.localTs - b.record.localTs);

  let c = 0;
  const opened = new Set<ExchangeId>();
  /** Apply the controls journaled before `ts`. */
  const applyControlsUpTo = (ts: number) => {
    for (; c < controls.length && controls[c]!.ts < ts; c++) {
      const ctl = controls[c]!;
      if (ctl.kind !== 'control') continue;
      const k = trader.kernel;
      if (ctl.action === 'kill') {
        const detail = ctl.detail as { reason?: string } | null;
        k.kill(detail?.reason ?? 'kill');
      } else if (ctl.action === 'reset') k.reset(REPLAY_TOKEN, REPLAY_TOKEN);
      else if (ctl.action === 'risk_params') {
        const parsed = parseRiskParams(ctl.detail);
        if (!('problems' in parsed)) k.swapRiskParams(ctl.detail, parsed);
      } else if (ctl.action === 'strategy_params') trader.control.setStrategyParams(ctl.detail, REPLAY_TOKEN);
    }
  };
  for (const { exchange, record } of timeline) {
    // A control journaled at event time T came after the event at T was handled (the kernel's clock
    // was T): apply it before the first later event.
    applyControlsUpTo(record.localTs);
    const feed = feeds.get(exchange)!;
    if (record.kind === 'message') feed.onMessage(record.body, record.localTs);
    else if (record.kind === 'rest') {
      const symbol = /[?&]symbol=([^&]+)/.exec(record.url)?.[1];
      if (symbol) feed.onSnapshot(decodeURIComponent(symbol), record.body, record.localTs);
    } else if (record.kind === 'open') {
      // A new connection after the first: the previous one was lost and the feed was told so.
      if (opened.has(exchange)) feed.onDisconnect(record.localTs);
      opened.add(exchange);
    }
  }
  applyControlsUpTo(Number.POSITIVE_INFINITY);

  const actual = actualRecords.map(decisionOf).filter((d): d is string => d !== null);
  let matched = 0;
  while (matched < expected.length && matched < actual.length && expected[matched] === actual[matched])
    matched++;
  const diverged = matched < expected.length || matched < actual.length;
  return {
    orders: expected.filter((d) => d.startsWith('order')).length,
    fills: expected.filter((d) => d.startsWith('fill')).length,
    matched,
    firstDivergence: diverged
      ? { index: matched, expected: expected[matched] ?? null, actual: actual[matched] ?? null }
      : null,
  };
}
