import type { Row } from './types.js';

/** Sorting, filtering and searching run in the page over the whole campaign (issue 17). */
export type SortKey =
  | 'code'
  | 'product'
  | 'exporter'
  | 'province'
  | 'category'
  | 'committed'
  | 'stock'
  | 'stockAge'
  | 'ready'
  | 'decision';

export interface Sort {
  key: SortKey;
  dir: 'asc' | 'desc';
}

export interface Filters {
  readyOnly: boolean;
  undecided: boolean;
  shortlisted: boolean;
  province: string;
  category: string;
  search: string;
}

export const NO_FILTERS: Filters = { readyOnly: false, undecided: false, shortlisted: false, province: '', category: '', search: '' };

const DECISION_ORDER: Record<Row['decision'], number> = { shortlisted: 0, undecided: 1, rejected: 2, withdrawn: 3 };

const collator = new Intl.Collator(['id', 'en'], { sensitivity: 'base', numeric: true });

/** Milliseconds since the last stock report; rows without one are the oldest (Infinity). */
export function stockAgeMs(row: Row, now: number): number {
  if (row.stockAt === null) return Number.POSITIVE_INFINITY;
  const t = Date.parse(row.stockAt);
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : Math.max(0, now - t);
}

function compareBy(key: SortKey, now: number): (a: Row, b: Row) => number {
  switch (key) {
    case 'code':
    case 'product':
    case 'exporter':
    case 'province':
    case 'category':
      return (a, b) => collator.compare(a[key], b[key]);
    case 'committed':
      return (a, b) => a.committed - b.committed;
    case 'stock':
      // No report sorts below zero stock.
      return (a, b) => (a.stock ?? -1) - (b.stock ?? -1);
    case 'stockAge':
      return (a, b) => {
        const x = stockAgeMs(a, now);
        const y = stockAgeMs(b, now);
        return x === y ? 0 : x < y ? -1 : 1;
      };
    case 'ready':
      return (a, b) => Number(b.ready) - Number(a.ready);
    case 'decision':
      return (a, b) => DECISION_ORDER[a.decision] - DECISION_ORDER[b.decision];
  }
}

export function sortRows(rows: readonly Row[], sort: Sort, now: number): Row[] {
  const cmp = compareBy(sort.key, now);
  const sign = sort.dir === 'asc' ? 1 : -1;
  // Ties by code keep the order stable and predictable.
  return [...rows].sort((a, b) => sign * cmp(a, b) || collator.compare(a.code, b.code));
}

export function normalise(s: string): string {
  return s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim();
}

export function filterRows(rows: readonly Row[], f: Filters): Row[] {
  const q = normalise(f.search);
  return rows.filter((r) => {
    if (f.readyOnly && !r.ready) return false;
    if (f.undecided && r.decision !== 'undecided') return false;
    if (f.shortlisted && r.decision !== 'shortlisted') return false;
    if (f.province !== '' && r.province !== f.province) return false;
    if (f.category !== '' && r.category !== f.category) return false;
    if (q !== '' && !normalise(r.code).includes(q) && !normalise(r.product).includes(q) && !normalise(r.exporter).includes(q)) return false;
    return true;
  });
}

export function distinct(rows: readonly Row[], key: 'province' | 'category'): string[] {
  return [...new Set(rows.map((r) => r[key]))].filter((v) => v !== '').sort((a, b) => collator.compare(a, b));
}

/** Merges changed rows into the table by id; a row never goes back to an older version. */
export function mergeRows(rows: readonly Row[], changed: readonly Row[]): Row[] {
  if (changed.length === 0) return rows as Row[];
  const byId = new Map(changed.map((r) => [r.id, r]));
  const out = rows.map((r) => {
    const c = byId.get(r.id);
    if (c === undefined) return r;
    byId.delete(r.id);
    return c.version >= r.version ? c : r;
  });
  for (const r of byId.values()) out.push(r);
  return out;
}

/** The slice of a virtualised list to render: visible rows plus overscan on both sides. */
export function visibleWindow(scrollTop: number, viewport: number, rowHeight: number, total: number, overscan: number): { start: number; end: number } {
  const first = Math.floor(scrollTop / rowHeight);
  const count = Math.ceil(viewport / rowHeight);
  const start = Math.max(0, first - overscan);
  const end = Math.min(total, first + count + overscan);
  return { start, end };
}
