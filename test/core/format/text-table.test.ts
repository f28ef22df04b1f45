import { describe, expect, it } from 'vitest';
import { textTable, textTableLines } from '../../../core/format/text-table.ts';

describe('textTable', () => {
  it('aligns columns under a rule, right-aligned where asked, counting code points', () => {
    expect(
      textTable(
        [
          ['venue', 'p99 µs', 'note'],
          ['binance', '2,100', '—'],
          ['kraken', '95', ''],
        ],
        [false, true, false],
      ),
    ).toBe(
      ['venue    p99 µs  note', '───────  ──────  ────', 'binance   2,100  —', 'kraken       95'].join('\n'),
    );
  });

  it('gives no lines for no rows', () => {
    expect(textTableLines([])).toEqual([]);
  });
});
