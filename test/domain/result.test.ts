import { describe, expect, it } from 'vitest';
import { err, ok, type Result } from '../../src/domain/result.js';

describe('result', () => {
  it('builds ok and err variants that narrow on .ok', () => {
    const good: Result<number, 'bad'> = ok(3);
    const bad: Result<number, 'bad'> = err('bad');
    expect(good).toEqual({ ok: true, value: 3 });
    expect(bad).toEqual({ ok: false, error: 'bad' });
    if (good.ok) expect(good.value + 1).toBe(4);
    if (!bad.ok) expect(bad.error).toBe('bad');
  });
});
