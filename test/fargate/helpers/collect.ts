/** A ConnectorListener that remembers what it was told. */
import type {
  BookStateEvent,
  ConnectionEvent,
  MarketEvent,
  TradeEvent,
} from '../../../core/market/events.ts';
import type { SnapshotRequest } from '../../../core/venues/feed-types.ts';
import type { SymbolBook } from '../../../core/venues/symbol-book.ts';
import type { ConnectorAlert, ConnectorListener } from '../../../fargate/connectors/connector-events.ts';

export class Collector implements ConnectorListener {
  readonly events: MarketEvent[] = [];
  readonly trades: TradeEvent[] = [];
  readonly alerts: ConnectorAlert[] = [];
  readonly requests: SnapshotRequest[] = [];
  readonly logs: string[] = [];
  bookUpdates = 0;

  onBook(_book: SymbolBook): void {
    this.bookUpdates++;
  }
  onTrade(trade: TradeEvent): void {
    this.trades.push(trade);
  }
  onEvent(event: MarketEvent): void {
    this.events.push(event);
  }
  onSnapshotRequest(request: SnapshotRequest): void {
    this.requests.push(request);
  }
  onAlert(alert: ConnectorAlert): void {
    this.alerts.push(alert);
  }
  onLog(level: string, exchange: string, message: string): void {
    this.logs.push(`${level} ${exchange} ${message}`);
  }

  connection(): ConnectionEvent[] {
    return this.events.filter((e): e is ConnectionEvent => e.type === 'connection');
  }
  states(): string[] {
    return this.connection().map((e) => e.state);
  }
  bookStates(symbol?: string): BookStateEvent[] {
    return this.events.filter(
      (e): e is BookStateEvent => e.type === 'book_state' && (symbol === undefined || e.symbol === symbol),
    );
  }
}
