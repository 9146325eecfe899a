import { writeFileSync } from 'node:fs';
import { GlobalFonts } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { darkPixels } from '../support/png.js';
import { renderStockChart, type StockChartInput, type StockPoint } from '../../src/services/render/stock-chart.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const DAY = 86_400_000;
const BASE = Date.UTC(2025, 9, 20, 1, 0); // 20 Oct 2025 09:00 in Asia/Makassar (UTC+8)

function ihdrSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function points(): StockPoint[] {
  const days = [5, 0, 1.5, 3.2, 8.7, 12, 15.1]; // deliberately out of order
  const qty = [900, 1500, 1200, 1200, 2500, 1800, 1750.5];
  return days.map((d, i) => ({ at: new Date(BASE + d * DAY), quantity: qty[i]! }));
}

function input(over: Partial<StockChartInput> = {}): StockChartInput {
  return {
    title: 'KOPI-01 · Kopi Arabika Gayo',
    unit: 'kg',
    points: points(),
    committed: 1000,
    timeZone: 'Asia/Makassar',
    locale: 'id',
    labels: { stock: 'Stok', committed: 'Komitmen', noData: 'Belum ada data' },
    ...over,
  };
}

describe('renderStockChart', () => {
  it('returns a PNG of the default size 800x450', async () => {
    const png = await renderStockChart(input());
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(ihdrSize(png)).toEqual({ width: 800, height: 450 });
    writeFileSync('/tmp/stock-chart-sample.png', png);
  });

  it('honours the requested width and height', async () => {
    const png = await renderStockChart(input({ width: 640, height: 360 }));
    expect(ihdrSize(png)).toEqual({ width: 640, height: 360 });
  });

  it('draws different images for different inputs', async () => {
    const a = await renderStockChart(input());
    const b = await renderStockChart(input({ committed: null }));
    const c = await renderStockChart(input({ timeZone: 'UTC' }));
    const d = await renderStockChart(input({ locale: 'en' }));
    expect(a.equals(b)).toBe(false);
    expect(a.equals(c)).toBe(false);
    expect(a.equals(d)).toBe(false);
    // and is deterministic for one input
    expect(a.equals(await renderStockChart(input()))).toBe(true);
  });

  it('draws the "no data" image for no points', async () => {
    const png = await renderStockChart(input({ points: [] }));
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(ihdrSize(png)).toEqual({ width: 800, height: 450 });
    const other = await renderStockChart(input({ points: [], labels: { stock: 'S', committed: 'C', noData: 'Tidak ada' } }));
    expect(png.equals(other)).toBe(false);
  });

  it('draws a single point, and several points at one instant', async () => {
    const one = await renderStockChart(input({ points: [{ at: new Date(BASE), quantity: 5 }], committed: undefined }));
    expect(ihdrSize(one)).toEqual({ width: 800, height: 450 });
    const same = await renderStockChart(input({
      points: [{ at: new Date(BASE), quantity: 5 }, { at: new Date(BASE), quantity: 7 }],
    }));
    expect(same.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  });

  it('handles a range of hours, of years, and zero or fractional quantities', async () => {
    const hours = [0, 1, 5].map((h, i) => ({ at: new Date(BASE + h * 3_600_000), quantity: [0, 0.25, 3][i]! }));
    const years = [0, 400, 900].map((d) => ({ at: new Date(BASE + d * DAY), quantity: 10 }));
    for (const pts of [hours, years]) {
      const png = await renderStockChart(input({ points: pts, locale: 'en' }));
      expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    }
  });

  it('renders 1,000 points', async () => {
    const many = Array.from({ length: 1000 }, (_, i) => ({
      at: new Date(BASE + i * 9 * 3_600_000),
      quantity: Math.round(5000 + 3000 * Math.sin(i / 40)),
    }));
    // Only that it renders: how fast (~50 ms on the 2-core dev machine) is a figure a busy machine
    // changes, not something a test can hold to.
    const png = await renderStockChart(input({ points: many }));
    expect(ihdrSize(png)).toEqual({ width: 800, height: 450 });
  });

  it('rejects an unknown zone, a bad size and an invalid point', async () => {
    await expect(renderStockChart(input({ timeZone: 'Mars/Olympus' }))).rejects.toThrow(RangeError);
    await expect(renderStockChart(input({ width: 0 }))).rejects.toThrow(RangeError);
    await expect(renderStockChart(input({ points: [{ at: new Date(Number.NaN), quantity: 1 }] }))).rejects.toThrow(RangeError);
    await expect(renderStockChart(input({ points: [{ at: new Date(BASE), quantity: Number.NaN }] }))).rejects.toThrow(RangeError);
  });

  const haveFont = GlobalFonts.families.length > 0;
  it.skipIf(!haveFont)('draws the title text (a system font is available)', async () => {
    const png = await renderStockChart(input());
    // the title sits centred in the top 40 px; the top-left corner stays empty
    expect(await darkPixels(png, 200, 5, 400, 35)).toBeGreaterThan(100);
    expect(await darkPixels(png, 0, 0, 60, 30)).toBe(0);
  });
});
