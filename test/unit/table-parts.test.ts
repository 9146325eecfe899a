import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { TableEntry } from '../../src/db/queries/review-table.js';
import { sortTableItems, tableItemOf } from '../../src/services/review.js';
import { gzipWithTail } from '../../src/web/gzip-splice.js';
import { tableCounts } from '../../src/web/rows.js';
import { assemble, merged, rendered, type CachedTable, type HeldRow } from '../../src/web/table-parts.js';

// The held table is cut into parts compressed on their own, so a row that changes costs the parts it
// is in, not the whole 1.65 MB again (src/web/table-parts.ts). What must never happen: an answer that is
// not exactly the rows in table order, whatever was reused.
const NOW = new Date('2026-12-01T03:00:00Z');

function entry(id: number, over: Partial<TableEntry> = {}): TableEntry {
  return {
    id, version: 1, status: 'submitted', committed: 1000, code: `KOPI-${id}`, name: `Kopi ${id} ☕`, category: 'coffee',
    baseUnit: 'kg', monthlyCapacity: 5000, certifications: [], companyName: `PT Kopi ${id}`, province: 'Aceh',
    quantity: 2000, reportedAt: new Date(NOW.getTime() - 86_400_000), stamp: `${id}:1`, ...over,
  };
}

const rowOf = (e: TableEntry): HeldRow => rendered('id', tableItemOf(e, 14, NOW));

function expected(rows: readonly HeldRow[]): string {
  return `{"rows":[${rows.map((r) => r.json).join(',')}],"counts":${JSON.stringify(tableCounts(rows.map((r) => r.item)))}}`;
}

const text = (t: CachedTable) => gunzipSync(gzipWithTail(t.wire, '}')).toString();

function inOrder(rows: HeldRow[]): HeldRow[] {
  const items = sortTableItems(rows.map((r) => r.item));
  const byId = new Map(rows.map((r) => [r.item.id, r]));
  return items.map((i) => byId.get(i.id)!);
}

/** The parts of `after` that are not the very objects of `before`. */
function compressedAgain(before: CachedTable, after: CachedTable): number {
  return [...after.parts].filter(([id, p]) => before.parts.get(id) !== p).length;
}

describe('the held table in parts', () => {
  const rows = inOrder(Array.from({ length: 2000 }, (_, i) => rowOf(entry(i + 1, { quantity: i % 3 === 0 ? 10 : 2000 }))));

  it('is the rows in order, in many parts, and a change compresses only the parts it touches', async () => {
    const first = await assemble('a', 14, rows, NOW);
    expect(text(first)).toBe(expected(rows));
    expect(first.wire.text.toString()).toBe(expected(rows).slice(0, -1));
    expect(first.parts.size).toBeGreaterThan(10);

    // One row changes in place (same order).
    const i = 700;
    const same = rows.map((r, k) => (k === i ? rowOf(entry(r.item.id, { name: 'Kopi Baru', quantity: r.item.quantity ?? 0 })) : r));
    const second = await assemble('b', 14, same, NOW, first);
    expect(text(second)).toBe(expected(same));
    expect(compressedAgain(first, second)).toBe(1);

    // A row moves (a decision changes its rank) and another leaves the table: each touches its parts only.
    const moving = rows[900]!.item.id;
    const leaving = rows[1500]!.item.id;
    const still = same.filter((r) => r.item.id !== moving && r.item.id !== leaving);
    const moved = rowOf(entry(moving, { status: 'shortlisted', quantity: rows[900]!.item.quantity ?? 0 }));
    const third = merged(still, [moved]);
    expect(third.map((r) => r.item.id)).toEqual(inOrder([...still, moved]).map((r) => r.item.id));
    const built = await assemble('c', 14, third, NOW, second);
    expect(text(built)).toBe(expected(third));
    expect(compressedAgain(second, built)).toBeLessThanOrEqual(3);

    // The last row goes: the part that is now last loses its comma (compressed again, never reused as it was).
    const shorter = third.slice(0, -1);
    expect(text(await assemble('d', 14, shorter, NOW, built))).toBe(expected(shorter));
  });

  it('holds one row, and none', async () => {
    expect(text(await assemble('a', 14, rows.slice(0, 1), NOW))).toBe(expected(rows.slice(0, 1)));
    expect(text(await assemble('a', 14, [], NOW))).toBe(expected([]));
  });
});
