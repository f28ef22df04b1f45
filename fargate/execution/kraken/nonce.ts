/**
 * Kraken nonces: one strictly increasing unsigned integer per API key (Kraken rejects a nonce not
 * above the last one it accepted with `EAPI:Invalid nonce`). The value follows the wall clock in
 * microseconds so a restarted process starts above what it sent before, but it never steps back:
 * when the clock jumps backwards (NTP correction, VM migration) the counter keeps counting up from
 * the last value it issued. Microseconds stay below 2^53 until the year 2255, so a JS number is exact.
 *
 * One instance per key; two processes sharing a key would need a shared counter (or Kraken's nonce
 * window), which is why the task runs pinned to one instance.
 */

export class KrakenNonce {
  private last: number;

  /**
   * @param wallMs wall-clock milliseconds since the epoch (injectable for tests)
   * @param issuedBefore the highest nonce this key used before (persisted across restarts), if known
   */
  constructor(
    private readonly wallMs: () => number,
    issuedBefore = 0,
  ) {
    if (!Number.isSafeInteger(issuedBefore) || issuedBefore < 0) {
      throw new Error('Kraken nonce: issuedBefore must be a non-negative safe integer');
    }
    this.last = issuedBefore;
  }

  /** The last nonce issued (0 before the first). */
  get lastIssued(): number {
    return this.last;
  }

  /** The next nonce, as the decimal string sent in the body. */
  next(): string {
    const fromClock = Math.floor(this.wallMs()) * 1000;
    const value = Number.isSafeInteger(fromClock) && fromClock > this.last ? fromClock : this.last + 1;
    if (!Number.isSafeInteger(value)) throw new Error('Kraken nonce exhausted the safe integer range');
    this.last = value;
    return String(value);
  }
}
