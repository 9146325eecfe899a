import { describe, expect, it } from 'vitest';
import { parseNib } from '../../src/domain/nib.js';

describe('parseNib', () => {
  it.each([
    ['1234567890123', '1234567890123'],
    [' 1234567890123 ', '1234567890123'],
    ['1234 5678 9012 3', '1234567890123'],
    ['1234.5678.9012.3', '1234567890123'],
    ['1234-5678-9012-3', '1234567890123'],
  ])('%j → %s', (input, expected) => {
    expect(parseNib(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['123456789012', 'nib_not_13_digits'],
    ['12345678901234', 'nib_not_13_digits'],
    ['', 'nib_not_13_digits'],
    ['12345678901A3', 'nib_not_digits'],
    ['NIB 1234567890123', 'nib_not_digits'],
    ['1234567890123/2', 'nib_not_digits'],
  ])('refuses %j with %s', (input, error) => {
    expect(parseNib(input)).toEqual({ ok: false, error });
  });
});
