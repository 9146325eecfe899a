/**
 * Issue 16 item 3: a chart that reads at a glance. The x axis is built by a pure function (`timeAxis`),
 * so its ticks and labels are checked here without reading pixels; the rendered PNG is checked for its
 * size and, where a system font exists, for drawn tick labels under the plot.
 */
import { writeFileSync } from 'node:fs';
import { GlobalFonts } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { darkPixels } from '../support/png.js';
import { renderStockChart, timeAxis, type StockChartInput } from '../../src/services/render/stock-chart.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// 2 Dec 2026 09:00 WITA (UTC+8)
const MORNING = Date.UTC(2026, 11, 2, 1, 0);
const ZONE = 'Asia/Makassar';

function ihdrSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function input(over: Partial<StockChartInput> = {}): StockChartInput {
  return {
    title: 'KOPI-01 · Kopi Arabika Gayo',
    unit: 'kg',
    points: [],
    committed: null,
    timeZone: ZONE,
    locale: 'id',
    labels: { stock: 'Stok', committed: 'Komitmen', noData: 'Belum ada data' },
    ...over,
  };
}

const firstLine = (label: string | string[]): string => (Array.isArray(label) ? (label[0] ?? '') : label);

describe('timeAxis', () => {
  it('labels hours when all reports fall within one day (first day of reporting)', () => {
    const times = [0, 0.25, 2.5, 5].map((h) => MORNING + h * HOUR); // 09:00, 09:15, 11:30, 14:00 WITA
    const axis = timeAxis(times, { timeZone: ZONE, locale: 'id' });
    expect(axis.step === 'hours' || axis.step === 'minutes').toBe(true);
    expect(axis.ticks.length).toBeGreaterThanOrEqual(2);
    for (const t of axis.ticks) expect(firstLine(t.label)).toMatch(/^\d{2}:\d{2}$/);
    // whole hours in the zone, inside the range, and the date under the first tick only
    expect(axis.ticks.map((t) => firstLine(t.label))).toContain('10:00');
    for (const t of axis.ticks) expect(t.value >= axis.min && t.value <= axis.max).toBe(true);
    expect(axis.ticks[0]!.label).toEqual([firstLine(axis.ticks[0]!.label), '2 Des']);
    expect(axis.ticks.slice(1).every((t) => Array.isArray(t.label) && t.label[1] === '')).toBe(true);
    expect(axis.min).toBeLessThan(times[0]!);
    expect(axis.max).toBeGreaterThan(times[3]!);
  });

  it('keeps at least two ticks for reports minutes apart (the bug: none at all)', () => {
    for (const minutes of [1, 5, 20, 45]) {
      const times = [MORNING + 10 * 60_000, MORNING + (10 + minutes) * 60_000];
      const axis = timeAxis(times, { timeZone: ZONE, locale: 'en' });
      expect(axis.ticks.length, `${minutes} minutes apart`).toBeGreaterThanOrEqual(2);
      for (const t of axis.ticks) expect(firstLine(t.label)).toMatch(/^\d{2}:\d{2}$/);
      expect(axis.max - axis.min).toBeGreaterThanOrEqual(HOUR);
    }
  });

  it('keeps at least two ticks on the narrowest chart and across midnight', () => {
    const times = [MORNING + 14.9 * HOUR, MORNING + 15.1 * HOUR]; // 23:54 and 00:06 WITA
    for (const width of [100, 300, 800, 4000]) {
      const axis = timeAxis(times, { timeZone: ZONE, locale: 'id', width });
      expect(axis.ticks.length, `width ${width}`).toBeGreaterThanOrEqual(2);
    }
    const day = timeAxis([MORNING, MORNING + 23 * HOUR], { timeZone: ZONE, locale: 'id', width: 100 });
    expect(day.step).toBe('hours');
    expect(day.ticks.length).toBeGreaterThanOrEqual(2);
  });

  it('puts a single report in the middle of six hours, labelled by the hour', () => {
    const axis = timeAxis([MORNING], { timeZone: ZONE, locale: 'id' });
    expect(axis.min).toBe(MORNING - 3 * HOUR);
    expect(axis.max).toBe(MORNING + 3 * HOUR);
    expect(axis.step).toBe('hours');
    expect(axis.ticks.map((t) => firstLine(t.label))).toEqual(['06:00', '07:00', '08:00', '09:00', '10:00', '11:00', '12:00']);
  });

  it('labels days for weeks of reports, in the zone', () => {
    const axis = timeAxis([MORNING, MORNING + 10 * DAY], { timeZone: ZONE, locale: 'en' });
    expect(axis.step).toBe('days');
    expect(axis.ticks.length).toBeGreaterThanOrEqual(2);
    expect(axis.ticks.map((t) => t.label)).toContain('5 Dec');
  });

  it('refuses no times and an unknown zone', () => {
    expect(() => timeAxis([], { timeZone: ZONE, locale: 'id' })).toThrow(RangeError);
    expect(() => timeAxis([MORNING], { timeZone: 'Mars/Olympus', locale: 'id' })).toThrow(RangeError);
  });
});

describe('renderStockChart: one day, one report, several commitments', () => {
  const haveFont = GlobalFonts.families.length > 0;

  it('renders a chart of one day\'s reports at its size, with tick labels under the plot', async () => {
    const points = [0, 0.25, 2.5, 5].map((h, i) => ({ at: new Date(MORNING + h * HOUR), quantity: [1200, 1150, 900, 1500][i]! }));
    const png = await renderStockChart(input({ points, committed: 1000 }));
    expect(ihdrSize(png)).toEqual({ width: 800, height: 450 });
    writeFileSync('/tmp/stock-chart-one-day.png', png);
    if (haveFont) expect(await darkPixels(png, 60, 405, 720, 40, { below: 100, blue: true })).toBeGreaterThan(50);
  });

  it('draws a single report as a labelled dot (its quantity drawn beside it)', async () => {
    const one = [{ at: new Date(MORNING), quantity: 1500 }];
    const png = await renderStockChart(input({ points: one }));
    expect(ihdrSize(png)).toEqual({ width: 800, height: 450 });
    writeFileSync('/tmp/stock-chart-single.png', png);
    const other = await renderStockChart(input({ points: one, unit: 'ton' }));
    // the label carries the unit, so another unit draws another image (text needs a system font)
    if (haveFont) expect(png.equals(other)).toBe(false);
  });

  it('draws one dashed line per commitment, with its own legend entry', async () => {
    const points = [0, 30, 50].map((d, i) => ({ at: new Date(MORNING - d * DAY), quantity: [2000, 1800, 2400][i]! }));
    const one = await renderStockChart(input({ points, commitments: [{ label: 'Komitmen · Tmall 11.11', quantity: 1000 }] }));
    const two = await renderStockChart(input({ points, commitments: [{ label: 'Komitmen · Tmall 11.11', quantity: 1000 }, { label: 'Komitmen · Alibaba', quantity: 2200 }] }));
    expect(ihdrSize(two)).toEqual({ width: 800, height: 450 });
    expect(one.equals(two)).toBe(false);
    writeFileSync('/tmp/stock-chart-commitments.png', two);
    await expect(renderStockChart(input({ points, commitments: [{ label: 'x', quantity: Number.NaN }] }))).rejects.toThrow(RangeError);
  });
});
