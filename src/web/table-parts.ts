import type { Lang } from '../locales/index.js';
import { tableTrueUntil, type TableItem } from '../services/review.js';
import type { Counts } from './contract.js';
import { gzipPart, joinParts, type GzipPart, type GzipPrefix } from './gzip-splice.js';
import { tableCounts, tableRow } from './rows.js';

// The held table's parts (table-cache.ts holds them): pure, so its splitting, reuse and merging are
// tested without a database (test/unit/table-parts.test.ts).

/** One row as the page gets it, with the entry it was built from. */
export interface HeldRow {
  item: TableItem;
  json: string;
}

/** Rows in a row, compressed together (see `endsPart`). */
export interface HeldPart {
  rows: readonly HeldRow[];
  last: boolean;
  gz: GzipPart;
}

/** A campaign's table rows as JSON text, with what vouches for them. */
export interface CachedTable {
  stamp: string;
  freshnessDays: number;
  /** In table order. */
  rows: Map<number, HeldRow>;
  /** By the id of their first row. */
  parts: Map<number, HeldPart>;
  counts: Counts;
  /** The answer's first part, `{"rows":[…],"counts":{…}`, as text and compressed (gzip-splice.ts). */
  wire: GzipPrefix;
  /** The first moment a report in it ages past the freshness window (readiness changes with no write). */
  trueUntil: Date;
}

/**
 * Where the rows' text is cut into parts compressed on their own (gzip-splice.ts): after a row whose id
 * hashes to 0 mod 128 (~128 rows, ~42 KB a part), and at the latest after 512 rows. The cut depends on
 * the rows, not their positions, so a row that changes, comes, goes or moves (a decision moves it in the
 * order) changes the one or two parts it leaves and joins, and the others are reused as compressed
 * before: 2 parts of ~40 compressed again instead of the 1.65 MB. Parts cost some ratio (no match across
 * a cut): +14 % bytes at 64 rows, +9 % at 128, +5 % at 256, measured on table-like rows.
 */
function endsPart(id: number, rowsInPart: number): boolean {
  return Math.imul(id, 0x9e3779b1) >>> 25 === 0 || rowsInPart >= 512;
}

function samePart(held: HeldPart | undefined, rows: readonly HeldRow[], last: boolean): held is HeldPart {
  return held?.last === last && held.rows.length === rows.length && held.rows.every((r, i) => r === rows[i]);
}

const HEADER = gzipPart('{"rows":[');

/** `rows` in table order; a part of `held` made of the very same rows is not compressed again. */
export async function assemble(stamp: string, freshnessDays: number, rows: readonly HeldRow[], now: Date, held?: CachedTable): Promise<CachedTable> {
  const cuts: { rows: HeldRow[]; last: boolean }[] = [];
  let part: HeldRow[] = [];
  rows.forEach((row, i) => {
    part.push(row);
    const last = i === rows.length - 1;
    if (last || endsPart(row.item.id, part.length)) {
      cuts.push({ rows: part, last });
      part = [];
    }
  });
  const made = await Promise.all(cuts.map(async (c): Promise<HeldPart> => {
    const before = held?.parts.get(c.rows[0]!.item.id);
    if (samePart(before, c.rows, c.last)) return before;
    return { ...c, gz: await gzipPart(c.rows.map((r) => r.json).join(',') + (c.last ? '' : ',')) };
  }));
  const items = rows.map((r) => r.item);
  const counts = tableCounts(items);
  const wire = joinParts([await HEADER, ...made.map((p) => p.gz), await gzipPart(`],"counts":${JSON.stringify(counts)}`)]);
  return {
    stamp,
    freshnessDays,
    rows: new Map(rows.map((r) => [r.item.id, r])),
    parts: new Map(made.map((p) => [p.rows[0]!.item.id, p])),
    counts,
    wire,
    trueUntil: tableTrueUntil(items, now),
  };
}

export function rendered(lang: Lang, item: TableItem): HeldRow {
  return { item, json: JSON.stringify(tableRow(lang, item)) };
}

/** Two lists each in table order, as one. */
export function merged(a: readonly HeldRow[], b: readonly HeldRow[]): HeldRow[] {
  const out: HeldRow[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(a[i]!.item.order <= b[j]!.item.order ? a[i++]! : b[j++]!);
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}

