/** A hand-driven one-shot timer for the stream adapters: `advance(ms)` fires what is due, in order. */
export class ManualTimers {
  now = 0;
  private timers: Array<{ at: number; fn: () => void; live: boolean }> = [];

  readonly setTimer = (ms: number, fn: () => void): (() => void) => {
    const t = { at: this.now + ms, fn, live: true };
    this.timers.push(t);
    return () => {
      t.live = false;
    };
  };

  get pending(): number {
    return this.timers.filter((t) => t.live).length;
  }

  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.live && t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      due.live = false;
      this.now = due.at;
      due.fn();
    }
    this.now = end;
    this.timers = this.timers.filter((t) => t.live);
  }
}

/** Let settled promises run their continuations. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}
