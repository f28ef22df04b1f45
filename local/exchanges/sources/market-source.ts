/** Something that moves a venue's truth over time: a capture replay or the synthetic generator. */
export interface MarketSource {
  start(): void;
  /** Stop changing the truth (timers stay cleared) until `resume`. */
  pause(): void;
  resume(): void;
  /** Stop for good; clears every timer. */
  stop(): void;
  readonly running: boolean;
}
