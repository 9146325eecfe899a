import type { Counts } from './contract.js';

/** A campaign's table rows as JSON text, with what vouches for them. */
export interface CachedTable {
  stamp: string;
  rowsJson: string;
  counts: Counts;
  /** The first moment a report in it ages past the freshness window (readiness changes with no write). */
  trueUntil: Date;
}

/**
 * The last tables built, per campaign and language. An entry is used only while the stamp read on this
 * very call is the same and no report has aged out since, so it never answers anything the database
 * would not: it saves building 5,050 rows (~100 ms here) when nothing changed, which is most opens and
 * reloads. Per process, bounded (a few MB each), oldest out first.
 */
export class TableCache {
  private readonly entries = new Map<string, CachedTable>();

  constructor(private readonly max = 16) {}

  get(key: string, stamp: string, now: Date): CachedTable | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.stamp !== stamp || now.getTime() >= hit.trueUntil.getTime()) {
      this.entries.delete(key);
      return undefined;
    }
    // Most recently used last, so the first key is the one to drop.
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit;
  }

  set(key: string, table: CachedTable): void {
    this.entries.delete(key);
    this.entries.set(key, table);
    while (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}
