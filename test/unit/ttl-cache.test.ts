import { describe, expect, it } from 'vitest';
import { TtlCache } from '../../src/bot/features/entries/ttl-cache.js';

const at = (ms: number) => new Date(Date.UTC(2026, 10, 11) + ms);

describe('TtlCache (the inline answers\' cache)', () => {
  it('answers an entry until it is ttl old, and never after', () => {
    const c = new TtlCache<string>(60_000, 10);
    c.set('KOPI-01', 'a', at(0));
    expect(c.get('KOPI-01', at(0))).toBe('a');
    expect(c.get('KOPI-01', at(59_999))).toBe('a');
    expect(c.get('KOPI-01', at(60_000))).toBeUndefined();
    // Gone, not just hidden: a clock set back cannot bring it back.
    expect(c.get('KOPI-01', at(1_000))).toBeUndefined();
  });

  it('does not answer an entry stored after the clock now reads (the clock was set back)', () => {
    const c = new TtlCache<string>(60_000, 10);
    c.set('KOPI-01', 'a', at(3_600_000));
    expect(c.get('KOPI-01', at(0))).toBeUndefined();
  });

  it('a new value replaces the old one and starts its own age', () => {
    const c = new TtlCache<string>(60_000, 10);
    c.set('KOPI-01', 'a', at(0));
    c.set('KOPI-01', 'b', at(50_000));
    expect(c.get('KOPI-01', at(100_000))).toBe('b');
    expect(c.get('KOPI-01', at(110_000))).toBeUndefined();
  });

  it('keeps at most max entries, dropping the least recently used', () => {
    const c = new TtlCache<number>(60_000, 2);
    c.set('a', 1, at(0));
    c.set('b', 2, at(0));
    expect(c.get('a', at(1))).toBe(1);
    c.set('c', 3, at(2));
    expect(c.size).toBe(2);
    expect(c.get('b', at(3))).toBeUndefined();
    expect(c.get('a', at(3))).toBe(1);
    expect(c.get('c', at(3))).toBe(3);
  });
});
