import { describe, expect, it } from 'vitest';
import { normalizeIndonesianPhone } from '../../src/domain/phone.js';

describe('normalizeIndonesianPhone', () => {
  it.each([
    ['08123456789', '+628123456789'],
    ['0812-3456-789', '+628123456789'],
    ['0812 3456 789', '+628123456789'],
    ['+62 812 3456 789', '+628123456789'],
    ['+628123456789', '+628123456789'],
    ['628123456789', '+628123456789'],
    ['(0812) 3456789', '+628123456789'],
    ['+62 (0) 812 3456 789', '+628123456789'],
    ['  081234567890  ', '+6281234567890'],
    ['021-5551234', '+62215551234'], // Jakarta landline
    ['(0361) 234567', '+62361234567'], // Denpasar landline
  ])('%j → %s', (input, expected) => {
    expect(normalizeIndonesianPhone(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    '0812345678a',
    'abc',
    '',
    '0812345', // 7-digit NSN
    '+62 8123 4567 8901 2', // 13-digit NSN
    '+1 415 555 2671',
    '+44 20 7946 0958',
    '+6208123456789', // trunk zero after country code
    '0112345678', // NSN starts with 1
    '8123456789', // no country code nor trunk zero
    '++628123456789',
  ])('refuses %j', (input) => {
    expect(normalizeIndonesianPhone(input)).toEqual({ ok: false, error: 'phone_invalid' });
  });
});
