/**
 * Paper trading as `npm start` runs it: the journal opened (and replayed: a kill survives a
 * restart), the admin token resolved, the live trader built on the configured instruments with the
 * risk limits of config/risk.json, and a session record written. The caller adds
 * `trader.listenerFor(exchange)` to each venue's connector and mounts `trader.control` on the
 * control routes.
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { loadFeeTable } from '../../config/fees.ts';
import { loadRiskParams } from '../../config/risk.ts';
import type { ExchangeId } from '../../core/market/exchange.ts';
import type { Instrument } from '../../core/market/instrument.ts';
import type { JournalRecord, JsonValue } from '../../core/oms/journal/journal-record.ts';
import { resolveSimConfig } from '../../core/sim/sim-config.ts';
import { defaultRegistry } from '../../core/strategy/registry.ts';
import type { KernelAlert } from '../../core/trading/trading-kernel.ts';
import { journalDirOf } from '../journal/journal-files.ts';
import { readJournal } from '../journal/journal-reader.ts';
import { JournalWriter } from '../journal/journal-writer.ts';
import { resolveAdminToken } from '../ops/admin-token.ts';
import { LiveTrader } from './live-trader.ts';

export interface TradingSetup {
  readonly dataDir: string;
  readonly strategy: string;
  readonly overrides: Readonly<Record<string, unknown>>;
  /** The configured instruments; `markets` picks the traded ones. */
  readonly instruments: readonly Instrument[];
  readonly markets: ReadonlyArray<{ readonly exchange: ExchangeId; readonly venueSymbol: string }>;
  readonly seed: number;
  readonly log: (line: string) => void;
  readonly onAlert?: (alert: KernelAlert) => void;
  readonly onDecision?: (wallMicros: number) => void;
}

export interface OpenedTrading {
  readonly trader: LiveTrader;
  readonly journal: JournalWriter;
  readonly adminToken: string;
  close(): void;
}

/** The markets `npm start` paper-trades by default: BTC/USDT on Binance spot and USD-M. */
export const DEFAULT_MARKETS = [
  { exchange: 'binance', venueSymbol: 'BTCUSDT' },
  { exchange: 'binance-futures', venueSymbol: 'BTCUSDT' },
] as const;

export async function openTrading(setup: TradingSetup): Promise<OpenedTrading> {
  const instruments = setup.markets.map((m) => {
    const found = setup.instruments.find((i) => i.exchange === m.exchange && i.venueSymbol === m.venueSymbol);
    if (!found) throw new Error(`no instrument ${m.exchange} ${m.venueSymbol} in config/instruments.json`);
    return found;
  });
  const risk = loadRiskParams();
  const fees = loadFeeTable();
  const dir = journalDirOf(resolve(setup.dataDir));
  const past: JournalRecord[] = [];
  for await (const r of readJournal(dir).records) past.push(r);
  let epoch = 1;
  for (const r of past) if (r.kind === 'session' && r.epoch >= epoch) epoch = r.epoch + 1;
  const admin = resolveAdminToken({ env: process.env, dataDir: resolve(setup.dataDir), log: setup.log });
  const journal = JournalWriter.open(dir);
  // What a replay must reproduce: the same limits, strategy, parameters, markets and seed.
  const configHash = createHash('sha256')
    .update(
      JSON.stringify({
        risk,
        strategy: setup.strategy,
        overrides: setup.overrides,
        markets: setup.markets,
        seed: setup.seed,
      }),
    )
    .digest('hex')
    .slice(0, 16);
  const trader = new LiveTrader({
    instruments,
    registry: defaultRegistry(),
    strategy: setup.strategy,
    overrides: setup.overrides,
    risk,
    fees,
    sim: resolveSimConfig({}),
    adminToken: admin.token,
    seed: setup.seed,
    instance: 1,
    epoch,
    journal,
    ...(setup.onAlert ? { onAlert: setup.onAlert } : {}),
    ...(setup.onDecision ? { onDecision: setup.onDecision } : {}),
  });
  for (const r of past) trader.restore(r);
  journal.append({
    kind: 'session',
    ts: Date.now() * 1000,
    phase: 'start',
    instance: 'local',
    epoch,
    strategy: setup.strategy,
    params: trader.kernel.strategyParams as unknown as JsonValue,
    seed: setup.seed,
    configHash,
  });
  const state = trader.kernel.tradingState;
  setup.log(
    `paper trading ${setup.strategy} on ${instruments.map((i) => `${i.exchange} ${i.symbol}`).join(', ')}; ` +
      `trading ${state}${state === 'HALTED' ? ` (${trader.kernel.gate.breaker.reason}; POST /reset with the admin token)` : ''}; ` +
      `journal ${dir}`,
  );
  return {
    trader,
    journal,
    adminToken: admin.token,
    close: () => {
      journal.append({
        kind: 'session',
        ts: Math.max(Math.round(trader.kernel.time), 1),
        phase: 'stop',
        instance: 'local',
        epoch,
        strategy: setup.strategy,
        params: trader.kernel.strategyParams as unknown as JsonValue,
        seed: setup.seed,
        configHash,
      });
      journal.flush();
    },
  };
}
