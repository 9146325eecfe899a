import { describe, expect, it } from 'vitest';
import { parseHsCode } from '../../src/domain/hs-code.js';

describe('parseHsCode', () => {
  it.each([
    ['090111', '090111'],
    ['0901.11', '090111'],
    ['0901.11.10', '09011110'],
    ['0901 11 10', '09011110'],
    ['1801.00.00.10', '1801000010'],
    [' 0901.11 ', '090111'],
  ])('%j → %s', (input, expected) => {
    expect(parseHsCode(input)).toEqual({ ok: true, value: expected });
  });

  it.each(['0901', '0901.1', '0901.11.1', '09011110123', '0901-11', '0901.11a', '', '.090111', '0901..11x'])(
    'refuses %j',
    (input) => {
      expect(parseHsCode(input)).toEqual({ ok: false, error: 'hs_invalid' });
    },
  );
});
