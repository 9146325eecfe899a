import { readFile } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Db } from '../../src/db/client.js';
import { createCampaign } from '../../src/services/campaigns.js';
import { REASON_KEYS, type ReasonKey } from '../../src/domain/reasons.js';
import { en } from '../../src/locales/en.js';
import { id } from '../../src/locales/id.js';
import { REASON_MESSAGES } from '../../src/locales/reasons.js';
import { campaignInput } from '../support/campaign.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { seedExporters } from '../support/seed.js';

/**
 * Migration 0017's data part, run on rows written the way releases before it wrote them (a listed
 * reason stored as its words, no key): the template database is already migrated, so the rows are
 * inserted with the key columns empty and the statements below `-- Data:` are run on them, as the
 * migration runs them on a production database.
 */
const MIGRATION = new URL('../../drizzle/0017_reason_keys.sql', import.meta.url);

/** Runs them in one transaction, as the migrator runs a migration (the word list is a temporary table of that session). */
async function runDataStatements(): Promise<void> {
  const statements = await dataStatements();
  await db.transaction(async (tx) => {
    for (const statement of statements) await tx.execute(sql.raw(statement));
  });
}

async function dataStatements(): Promise<string[]> {
  const text = await readFile(MIGRATION, 'utf8');
  const statements = text.split('--> statement-breakpoint').map((s) => s.trim());
  const first = statements.findIndex((s) => s.startsWith('-- Data:'));
  expect(first).toBeGreaterThan(0);
  return statements.slice(first);
}

function words(key: ReasonKey, lang: 'id' | 'en'): string {
  const [group, name] = REASON_MESSAGES[key].split('.') as [string, string];
  return ((lang === 'id' ? id : en) as unknown as Record<string, Record<string, string>>)[group]![name]!;
}

let tdb: TestDatabase;
let database: Database;
let db: Db;
const OFFICIAL = 990_170_001;
const NOW = new Date('2026-11-20T03:00:00Z');
const AT = NOW.toISOString();

type Row = Record<string, unknown>;
// postgres.js answers the rows themselves (the Db type is the union with PGlite's { rows }).
const rows = async (q: ReturnType<typeof sql>): Promise<Row[]> => [...((await db.execute<Row>(q)) as Row[])];

beforeAll(async () => {
  tdb = await createTestDatabase();
  database = await tdb.open();
  db = database.db;
}, 60_000);
afterAll(async () => {
  await database?.close();
  await tdb?.drop();
});

describe('migration 0017: reasons stored as words get their keys', () => {
  it('maps every listed reason, in either language, trimmed and in any letter case, and leaves typed ones and every row alone', async () => {
    await db.execute(sql`insert into users (id, chat_id, display_name, role) values (${OFFICIAL}, ${OFFICIAL}, 'Bu Retno', 'official')`);
    const owners = await seedExporters(db, 20, { base: 990_171_000 });
    const c = await createCampaign(db, BigInt(OFFICIAL), campaignInput(NOW.getTime(), { title: 'Migrasi alasan' }), NOW);
    if (!c.ok) throw new Error(c.error);
    const products = await rows(sql`select p.id from products p join businesses b on b.id = p.business_id where b.owner_id between ${owners[0]} and ${owners.at(-1)} order by p.id`);
    let next = 0;
    const entry = async (status: string, reason: string | null, withdrawn: string | null): Promise<number> => {
      const productId = products[next++]!.id as number;
      const [r] = await rows(sql`insert into submissions (campaign_id, product_id, committed_quantity, status, reason, withdrawn_reason)
        values (${c.value.id}, ${productId}, 100, ${status}::submission_status, ${reason}, ${withdrawn}) returning id`);
      return r!.id as number;
    };

    // One entry per listed reason and language, each in its own column, with stray spaces and case.
    const expected = new Map<number, { column: 'reason' | 'withdrawn'; key: ReasonKey }>();
    for (const key of REASON_KEYS) {
      for (const lang of ['id', 'en'] as const) {
        const w = lang === 'en' ? `  ${words(key, lang).toUpperCase()} ` : words(key, lang);
        const rejection = key.startsWith('reject_');
        const sid = await entry(rejection ? 'rejected' : 'withdrawn', rejection ? w : null, rejection ? null : w);
        expected.set(sid, { column: rejection ? 'reason' : 'withdrawn', key });
      }
    }
    // Typed reasons, one that only contains a listed one, and the Mini App's "listed: typed" form.
    const typed = await entry('rejected', 'Kemasan rusak saat uji', null);
    const containing = await entry('rejected', 'Stok tidak mencukupi untuk bulan ini', null);
    const combined = await entry('withdrawn', null, 'Stok tidak cukup: gudang banjir');
    // "Not enough stock" is in both lists: a withdrawal's words get the exporter's key, a rejection's the official's.
    const [rejectedId, withdrawnId] = [...expected.entries()].filter(([, v]) => v.key === 'reject_stock' || v.key === 'exporter_stock').map(([k]) => k);

    await db.execute(sql`insert into submission_results (submission_id, campaign_id, version, outcome, reason, committed_quantity, published_by, published_at)
      values (${rejectedId}, ${c.value.id}, 1, 'not_selected', 'Not enough stock', 100, ${OFFICIAL}, ${AT}::timestamptz),
             (${withdrawnId}, ${c.value.id}, 1, 'withdrawn', 'Not enough stock', 100, ${OFFICIAL}, ${AT}::timestamptz),
             (${typed}, ${c.value.id}, 1, 'not_selected', 'Kemasan rusak saat uji', 100, ${OFFICIAL}, ${AT}::timestamptz)`);
    await db.execute(sql`insert into submission_events (submission_id, kind, actor_id, details, at)
      values (${rejectedId}, 'rejected', ${OFFICIAL}, ${JSON.stringify({ reason: 'Stok tidak mencukupi', version: 2 })}::jsonb, ${AT}::timestamptz),
             (${rejectedId}, 'swapped_out', ${OFFICIAL}, ${JSON.stringify({ reason: 'stok tidak mencukupi', other: 'KOPI-02' })}::jsonb, ${AT}::timestamptz),
             (${withdrawnId}, 'withdrawn', ${owners[1]}, ${JSON.stringify({ reason: 'Production disrupted' })}::jsonb, ${AT}::timestamptz),
             (${withdrawnId}, 'stock_cannot', ${owners[1]}, ${JSON.stringify({ reason: 'Tidak bisa memenuhi jadwal', level: 5 })}::jsonb, ${AT}::timestamptz),
             (${typed}, 'rejected', ${OFFICIAL}, ${JSON.stringify({ reason: 'Kemasan rusak saat uji' })}::jsonb, ${AT}::timestamptz),
             (${typed}, 'joined', ${owners[2]}, ${JSON.stringify({ committed: 100 })}::jsonb, ${AT}::timestamptz)`);
    await db.execute(sql`insert into deliveries (recipient_id, chat_id, kind, ref, dedupe_key, payload)
      values (${OFFICIAL}, ${OFFICIAL}, 'alert', ${`campaign:${c.value.id}`}, 'alert:withdrawn:test', ${JSON.stringify({ alert: 'withdrawn', submissionId: withdrawnId, reason: 'Stok tidak cukup', forOfficial: true })}::jsonb),
             (${OFFICIAL}, ${OFFICIAL}, 'alert', ${`campaign:${c.value.id}`}, 'alert:low:test', ${JSON.stringify({ alert: 'low', submissionId: withdrawnId, forOfficial: true })}::jsonb)`);

    const count = async () => rows(sql`select (select count(*) from submissions)::int s, (select count(*) from submission_results)::int r,
      (select count(*) from submission_events)::int e, (select count(*) from deliveries)::int d`);
    const before = await count();
    const wordsBefore = await rows(sql`select id, reason, withdrawn_reason from submissions order by id`);

    await runDataStatements();

    expect(await count()).toEqual(before);
    // The words stay as they were; only the keys are added.
    expect(await rows(sql`select id, reason, withdrawn_reason from submissions order by id`)).toEqual(wordsBefore);

    const keys = new Map((await rows(sql`select id, reason_key, withdrawn_reason_key from submissions`)).map((r) => [r.id as number, r]));
    for (const [sid, e] of expected) {
      const r = keys.get(sid)!;
      expect(e.column === 'reason' ? r.reason_key : r.withdrawn_reason_key, `${e.key} (entry ${sid})`).toBe(e.key);
      expect(e.column === 'reason' ? r.withdrawn_reason_key : r.reason_key).toBeNull();
    }
    for (const sid of [typed, containing, combined]) expect([keys.get(sid)!.reason_key, keys.get(sid)!.withdrawn_reason_key]).toEqual([null, null]);

    const results = await rows(sql`select submission_id, outcome, reason, reason_key from submission_results order by submission_id, outcome`);
    expect(results).toEqual(
      expect.arrayContaining([
        { submission_id: rejectedId, outcome: 'not_selected', reason: 'Not enough stock', reason_key: 'reject_stock' },
        { submission_id: withdrawnId, outcome: 'withdrawn', reason: 'Not enough stock', reason_key: 'exporter_stock' },
        { submission_id: typed, outcome: 'not_selected', reason: 'Kemasan rusak saat uji', reason_key: null },
      ]),
    );

    const events = await rows(sql`select kind, details from submission_events order by id`);
    expect(events.map((e) => [e.kind, (e.details as { reasonKey?: string }).reasonKey ?? null])).toEqual([
      ['rejected', 'reject_stock'],
      ['swapped_out', 'reject_stock'],
      ['withdrawn', 'exporter_production'],
      ['stock_cannot', 'exporter_schedule'],
      ['rejected', null],
      ['joined', null],
    ]);
    // The other details are kept.
    expect(events[1]!.details).toEqual({ reason: 'stok tidak mencukupi', other: 'KOPI-02', reasonKey: 'reject_stock' });

    const alerts = await rows(sql`select dedupe_key, payload from deliveries order by id`);
    expect(alerts.map((a) => (a.payload as { reasonKey?: string }).reasonKey ?? null)).toEqual(['exporter_stock', null]);
  });

  it('changes nothing when run again (a key already set stays)', async () => {
    const snapshot = async () => rows(sql`select id, reason_key, withdrawn_reason_key from submissions order by id`);
    const before = await snapshot();
    await runDataStatements();
    expect(await snapshot()).toEqual(before);
  });
});
