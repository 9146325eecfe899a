import { describe, expect, it } from 'vitest';
import { ageOf, isStockCommandWithoutArgs, looksLikeStockReport, parseStockMessage } from '../../src/domain/stock-report.js';

describe('parseStockMessage', () => {
  it('reads a one-line command', () => {
    expect(parseStockMessage('/stok kopi-01 1.500 kg')).toEqual([{ lineNo: 1, raw: 'kopi-01 1.500 kg', code: 'KOPI-01', quantityText: '1.500 kg' }]);
  });

  it('reads a batch, with separators and bullets, keeping unreadable lines', () => {
    const lines = parseStockMessage('/stok@etalase_bot KOPI-01 1.500 kg\nTEH-02: 2,5 ton\n\n- KAKAO-03 = 300\nhalo semua');
    expect(lines.map((l) => [l.lineNo, l.code, l.quantityText])).toEqual([
      [1, 'KOPI-01', '1.500 kg'],
      [2, 'TEH-02', '2,5 ton'],
      [4, 'KAKAO-03', '300'],
      [5, null, 'halo semua'],
    ]);
  });

  it('tells a report without /stok from chatter', () => {
    expect(looksLikeStockReport('KOPI-01 1.500\nTEH-02 20')).toBe(true);
    expect(looksLikeStockReport('KOPI-01 1.500\napa kabar')).toBe(false);
    expect(looksLikeStockReport('kopi enak sekali')).toBe(false);
    expect(looksLikeStockReport('KOPI-01')).toBe(false);
    expect(isStockCommandWithoutArgs('/stok')).toBe(true);
    expect(isStockCommandWithoutArgs('/stock  ')).toBe(true);
    expect(isStockCommandWithoutArgs('/stok KOPI-01 5')).toBe(false);
  });
});

describe('ageOf', () => {
  const now = new Date('2026-11-28T12:00:00Z');
  it.each([
    [10, 'now', 0],
    [5 * 60, 'minute', 5],
    [3 * 3600, 'hour', 3],
    [3 * 86_400, 'day', 3],
    [20 * 86_400, 'week', 2],
    [90 * 86_400, 'month', 3],
    [800 * 86_400, 'year', 2],
  ] as const)('%d s → %s %d', (secs, unit, value) => {
    expect(ageOf(new Date(now.getTime() - secs * 1000), now)).toEqual({ unit, value });
  });
});
