/**
 * How a connector process feeds a Recorder (`npm start`, `bench:ingest --record`, the Fargate task):
 * the raw tap — every frame, REST body and connection open, exactly as each feed was given it — and
 * one RecordingListener per venue for the normalized rows, attached to its feed as soon as the feed
 * exists, so a trade that comes before its symbol's first book still finds its scales.
 */
import type { ExchangeId } from '../../core/market/exchange.ts';
import type { ConnectionRef, RawTap } from '../connectors/connector-events.ts';
import type { Recorder } from './recorder.ts';
import { type FeedBooks, RecordingListener } from './recording-listener.ts';

export class RecorderWiring {
  readonly rawTap: RawTap;
  private readonly listeners = new Map<ExchangeId, RecordingListener>();

  /** "shard.connection" per connection: made once, not per frame (a ref lives as long as its socket). */
  private readonly names = new WeakMap<ConnectionRef, string>();

  constructor(readonly recorder: Recorder) {
    this.rawTap = {
      frame: (exchange, raw, localTs, ref) => recorder.recordMessage(exchange, this.name(ref), localTs, raw),
      rest: (exchange, url, _symbol, body, localTs) => recorder.recordRest(exchange, url, localTs, body),
      connection: (exchange, state, url, localTs, ref) => {
        if (state === 'open') recorder.recordOpen(exchange, this.name(ref), localTs, url);
      },
    };
  }

  private name(ref: ConnectionRef): string {
    let name = this.names.get(ref);
    if (name === undefined) {
      name = `${ref.shard}.${ref.connection}`;
      this.names.set(ref, name);
    }
    return name;
  }

  /** The venue's recording listener (one per venue: combine it with the others). */
  listenerFor(exchange: ExchangeId): RecordingListener {
    let listener = this.listeners.get(exchange);
    if (!listener) {
      listener = new RecordingListener(this.recorder);
      this.listeners.set(exchange, listener);
    }
    return listener;
  }

  /** The venue's feed exists: its listener resolves trade scales through it from now on. */
  attach(exchange: ExchangeId, feed: FeedBooks): void {
    this.listeners.get(exchange)?.attach(feed);
  }
}
