import { describe, expect, it } from 'vitest';
import { DuplicateOrderIds } from '../../../../core/quality/validators/duplicate-order-ids.ts';

const ID = 'd50ec984-77a8-460a-b958-66f114b0de9b';

describe('DuplicateOrderIds', () => {
  it('a normal order life (received, open, match, change, done) has no duplicate', () => {
    const d = new DuplicateOrderIds(100);
    for (const action of ['received', 'open', 'match', 'change', 'match', 'done'] as const) {
      expect(d.isDuplicate(action, ID)).toBe(false);
    }
  });

  it('a second received for the same order id is a duplicate', () => {
    const d = new DuplicateOrderIds(100);
    expect(d.isDuplicate('received', ID)).toBe(false);
    expect(d.isDuplicate('received', ID)).toBe(true);
  });

  it('a second open for the same order id is a duplicate', () => {
    const d = new DuplicateOrderIds(100);
    expect(d.isDuplicate('open', ID)).toBe(false);
    expect(d.isDuplicate('open', ID)).toBe(true);
  });

  it('different orders do not collide', () => {
    const d = new DuplicateOrderIds(100);
    expect(d.isDuplicate('received', 'a')).toBe(false);
    expect(d.isDuplicate('received', 'b')).toBe(false);
  });
});
