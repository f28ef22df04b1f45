/**
 * One order-entry client under measurement (our adapter or ccxt), driven the same way: one resting
 * limit order at a time, resolved when the client has the venue's acknowledgement.
 */
export interface OrderClient {
  readonly name: 'adapter' | 'ccxt';
  /** Send resting order `i` of the run; resolves when the client holds the venue's ack. */
  submit(i: number): Promise<void>;
}

/** A resting buy far from the touch: integer price and size units, as the kernel hands them on. */
export interface RestingOrder {
  readonly price: number;
  readonly size: number;
}
