import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progressBar } from '../../../local/backtest/progress-bar.ts';

function stream(isTTY: boolean): NodeJS.WriteStream & { text: () => string } {
  let text = '';
  const s = new Writable({
    write(chunk, _e, cb) {
      text += String(chunk);
      cb();
    },
  }) as unknown as NodeJS.WriteStream & { text: () => string };
  Object.assign(s, {
    isTTY,
    columns: 120,
    cursorTo: () => true,
    clearLine: () => true,
    moveCursor: () => true,
  });
  s.text = () => text;
  return s;
}

describe('progress bar', () => {
  it('draws on a terminal', () => {
    const s = stream(true);
    const bar = progressBar({ label: 'backtest', unit: 'rows', stream: s });
    bar.update(0, 1000);
    bar.update(1000, 1000);
    bar.stop();
    expect(s.text()).toMatch(/backtest \[.*\] 100% \| 1,000\/1,000 rows/);
  });

  it('stays silent when piped or quiet', () => {
    for (const [tty, quiet] of [
      [false, false],
      [true, true],
    ] as const) {
      const s = stream(tty);
      const bar = progressBar({ label: 'x', unit: 'rows', stream: s, quiet });
      bar.update(5, 10);
      bar.stop();
      expect(s.text()).toBe('');
    }
  });
});
