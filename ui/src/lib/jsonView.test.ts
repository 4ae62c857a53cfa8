import { describe, expect, it } from 'vitest';
import { entries, foldable, leaf, startsOpen, summary } from './jsonView';

describe('the JSON viewer', () => {
  it('folds objects and arrays only', () => {
    expect(foldable({})).toBe(true);
    expect(foldable([1])).toBe(true);
    expect(foldable(null)).toBe(false);
    expect(foldable('x')).toBe(false);
  });

  it('says how many entries a closed value holds', () => {
    expect(summary([1, 2, 3])).toBe('3 items');
    expect(summary([1])).toBe('1 item');
    expect(summary({ a: 1 })).toBe('1 key');
    expect(summary({})).toBe('0 keys');
  });

  it('opens shallow small values and closes deep or long ones', () => {
    expect(startsOpen({ a: 1 }, 0)).toBe(true);
    expect(startsOpen({ a: 1 }, 3)).toBe(false);
    expect(startsOpen(Array.from({ length: 51 }, (_, i) => i), 0)).toBe(false);
  });

  it('lists array items without names and object fields by name', () => {
    expect(entries(['a'])).toEqual([[undefined, 'a']]);
    expect(entries({ k: 2 })).toEqual([['k', 2]]);
  });

  it('writes leaves as JSON', () => {
    expect(leaf('a "b"\n')).toEqual({ text: '"a \\"b\\"\\n"', kind: 'string' });
    expect(leaf(3.5)).toEqual({ text: '3.5', kind: 'number' });
    expect(leaf(false)).toEqual({ text: 'false', kind: 'boolean' });
    expect(leaf(null)).toEqual({ text: 'null', kind: 'null' });
  });
});
