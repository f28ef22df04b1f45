/**
 * Kyle's lambda (Kyle 1985; López de Prado, AFML §19.3): the slope of the OLS regression
 * Δmid = λ · signedVolume + c over a rolling time window. One sample per book update that follows
 * trades: signed volume = Σ (+size buys, −size sells) of the trades since the previous book update,
 * Δmid = mid after them − mid before them. Units are the caller's (the pipeline passes quote
 * currency per base currency, so λ reads "price move per unit of net taker volume").
 */
import type { Micros } from '../../market/events.ts';
import { RollingSums } from '../windows/rolling-sums.ts';

export class KyleLambda {
  private readonly samples: RollingSums;
  private midBefore = Number.NaN;
  private pendingSigned = 0;
  private pendingTrades = 0;

  constructor(windowUs: Micros) {
    this.samples = new RollingSums(windowUs);
  }

  onTrade(signedSize: number): void {
    this.pendingSigned += signedSize;
    this.pendingTrades++;
  }

  onMid(mid: number, now: Micros): void {
    if (this.pendingTrades > 0 && !Number.isNaN(this.midBefore) && !Number.isNaN(mid))
      this.samples.push(now, this.pendingSigned, mid - this.midBefore);
    else this.samples.advance(now);
    this.pendingSigned = 0;
    this.pendingTrades = 0;
    this.midBefore = mid;
  }

  value(): number {
    return this.samples.slope();
  }

  get sampleCount(): number {
    return this.samples.count;
  }
}
