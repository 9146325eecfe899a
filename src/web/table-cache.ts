import type { Campaign } from '../db/schema/index.js';
import type { Db } from '../db/client.js';
import type { Lang } from '../locales/index.js';
import { sortTableItems, tableChanges, tableItemOf, tableItems } from '../services/review.js';
import { assemble, merged, rendered, type CachedTable } from './table-parts.js';

/**
 * The last tables built, per campaign and language. A table is sent as it is only while the stamp read
 * on this very call is the same and no report has aged out since, so it never answers anything the
 * database would not: that saves building 5,050 rows when nothing changed, which is most opens and
 * reloads. When something changed, the rows are rebuilt from the ones held: only rows whose own stamp
 * moved are read and rendered again (bench/README.md: a rebuild of every row cost p99 203 ms, most of it
 * reading and rendering 5,050 rows to change one). Per process, bounded (a few MB each), oldest out first.
 */
export class TableCache {
  private readonly entries = new Map<string, CachedTable>();

  constructor(private readonly max = 16) {}

  /** The table for this stamp, from the one held when it still holds, rebuilt (in part or whole) when not. */
  async table(db: Db, campaign: Campaign, lang: Lang, stamp: string, now: Date): Promise<CachedTable> {
    const key = `${campaign.id}:${lang}`;
    const held = this.entries.get(key);
    this.entries.delete(key);
    let table: CachedTable;
    if (held?.stamp === stamp && now.getTime() < held.trueUntil.getTime()) table = held;
    else if (held?.freshnessDays === campaign.freshnessDays) table = await rebuild(db, campaign, lang, stamp, now, held);
    else table = await build(db, campaign, lang, stamp, now);
    // Most recently used last, so the first key is the one to drop.
    this.entries.set(key, table);
    while (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return table;
  }
}

async function build(db: Db, campaign: Campaign, lang: Lang, stamp: string, now: Date): Promise<CachedTable> {
  const { items } = await tableItems(db, campaign, now);
  return assemble(stamp, campaign.freshnessDays, sortTableItems(items).map((i) => rendered(lang, i)), now);
}

async function rebuild(db: Db, campaign: Campaign, lang: Lang, stamp: string, now: Date, held: CachedTable): Promise<CachedTable> {
  const { live, fresh } = await tableChanges(db, campaign, (id) => held.rows.get(id)?.item.stamp, now);
  const liveIds = new Set(live);
  const added = sortTableItems([...fresh.values()]).map((i) => rendered(lang, i));
  // A row neither held nor read joined the table between the two reads; the next call brings it.
  const still = [...held.rows.values()].filter((r) => liveIds.has(r.item.id) && !fresh.has(r.item.id));
  // Past the held rows' trueUntil some report has aged out: readiness is worked out again for every row
  // (their order can change), and a row whose readiness is unchanged keeps its text.
  if (now.getTime() >= held.trueUntil.getTime()) {
    const again = still.map((h) => {
      const item = tableItemOf(h.item, campaign.freshnessDays, now);
      return item.readiness.score === h.item.readiness.score && item.order === h.item.order ? { item, json: h.json } : rendered(lang, item);
    });
    return assemble(stamp, campaign.freshnessDays, merged(again.sort((a, b) => a.item.order - b.item.order), added), now, held);
  }
  // Held rows are in table order already: the changed ones are merged in, not all sorted again.
  return assemble(stamp, campaign.freshnessDays, merged(still, added), now, held);
}
