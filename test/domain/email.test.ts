import { describe, expect, it } from 'vitest';
import { parseEmail } from '../../src/domain/email.js';

describe('parseEmail', () => {
  it.each([
    ['budi@example.com', 'budi@example.com'],
    ['  Budi.Santoso@Example.CO.ID ', 'Budi.Santoso@example.co.id'],
    ['sales+export@kopi-gayo.id', 'sales+export@kopi-gayo.id'],
  ])('%j → %s', (input, expected) => {
    expect(parseEmail(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    'budi',
    'budi@',
    '@example.com',
    'budi@example',
    'budi@@example.com',
    'bu di@example.com',
    '.budi@example.com',
    'budi..s@example.com',
    'budi@-example.com',
    'budi@example.c',
    `${'a'.repeat(65)}@example.com`,
    `a@${Array.from({ length: 5 }, () => 'b'.repeat(60)).join('.')}.com`, // > 254 chars,
  ])('refuses %j', (input) => {
    expect(parseEmail(input)).toEqual({ ok: false, error: 'email_invalid' });
  });
});
