/**
 * At most one log line per key and interval: the first occurrence is told at once, repeats within
 * `intervalMs` are only counted, and the next line told says how many were held back. A fault that
 * repeats every few milliseconds (a feed throwing on each frame, a full disk failing each write)
 * then costs a handful of lines, never a flood, and no occurrence goes uncounted.
 *
 * Time is passed in (any millisecond clock), so tests drive it by hand.
 */

export class LogThrottle {
  private readonly lastToldAt = new Map<string, number>();
  private readonly held = new Map<string, number>();

  constructor(readonly intervalMs: number) {}

  /**
   * An occurrence of `key` at `nowMs`: the number of occurrences held back since the last line told
   * (tell it now, mentioning them when > 0), or -1 (hold it back: counted).
   */
  admit(key: string, nowMs: number): number {
    const last = this.lastToldAt.get(key);
    if (last !== undefined && nowMs - last < this.intervalMs) {
      this.held.set(key, (this.held.get(key) ?? 0) + 1);
      return -1;
    }
    const held = this.held.get(key) ?? 0;
    this.lastToldAt.set(key, nowMs);
    this.held.delete(key);
    return held;
  }

  /** Occurrences of `key` held back since its last line, and forget them (e.g. for a closing summary). */
  takeHeld(key: string): number {
    const held = this.held.get(key) ?? 0;
    this.held.delete(key);
    return held;
  }
}

/** " (N more held back since the last line)" for N > 0, else "". */
export function heldBackNote(held: number): string {
  return held > 0 ? ` (${held} more like it since the last line)` : '';
}
