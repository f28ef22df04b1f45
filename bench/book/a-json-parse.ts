/**
 * Case A floor: JSON.parse of the same lines and nothing else. Any JSON.parse-based book pays at
 * least this; it keeps no book, so it is not cross-checked.
 */
import type { BenchInput } from './bench-input.ts';
import type { BookBench } from './book-bench.ts';

export class JsonParseBench implements BookBench {
  readonly caseId = 'A';
  readonly name = 'JSON.parse only (floor)';
  private lines: Array<readonly string[]> = [];
  private parsed = 0;

  constructor(private readonly input: BenchInput) {}

  setup(rounds: number): void {
    this.input.rounds.prepare(rounds);
    this.lines = Array.from({ length: rounds }, (_, r) => this.input.rounds.round(r));
    this.parsed = 0;
  }

  run(rounds: number): void {
    let parsed = 0;
    for (let r = 0; r < rounds; r++) {
      const lines = this.lines[r]!;
      // Keep the result observable so the call cannot be dropped.
      for (let i = 0; i < lines.length; i++) if (JSON.parse(lines[i]!) !== null) parsed++;
    }
    this.parsed = parsed;
  }

  verify(rounds: number): void {
    const expected = this.input.rounds.messages(rounds);
    if (this.parsed !== expected) throw new Error(`${this.name}: parsed ${this.parsed}/${expected}`);
  }

  book(): undefined {
    return undefined;
  }
}
