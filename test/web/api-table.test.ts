import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inArray } from 'drizzle-orm';
import { submissions } from '../../src/db/schema/index.js';
import { decide, reviewList } from '../../src/services/review.js';
import { countsOf, toRow } from '../../src/web/rows.js';
import { createInvite, redeemInvite } from '../../src/services/roles.js';
import { withdrawSubmission } from '../../src/services/submissions.js';
import { addToTeam, removeFromTeam } from '../../src/services/team.js';
import { recordSeenUser } from '../../src/services/users.js';
import type { ChangesAnswer, EntryDetail, TableAnswer } from '../../src/web/contract.js';
import { auditOf, bearer, NOW, seedWorld, sessionFor, startWebServer, submissionRow, type WebServer, type World } from './support.js';
import { reasonAsTyped } from '../../src/domain/reasons.js';

// Issue 17: the review table (every entry with readiness and its reasons, the counts), the poll that
// brings decisions taken in the chat and withdrawals, the entry panel, and the signed report download.
let world: World;
let web: WebServer;
let creator: string;
let helper: string;
let outsider: string;
const DAY = 86_400_000;

beforeAll(async () => {
  world = await seedWorld(991_730_000, [
    /* 0 ready        */ { committed: 1000, stock: 2000 },
    /* 1 low stock    */ { committed: 1500, stock: 300 },
    /* 2 no report    */ { committed: 1000, stock: null },
    /* 3 low capacity */ { committed: 1000, stock: 2000, capacity: 500 },
    /* 4 stale report */ { committed: 1000, stock: 2000, stockAt: new Date(NOW.getTime() - 10 * DAY) },
    /* 5 ready        */ { committed: 800, stock: 2000 },
  ]);
  web = await startWebServer(world.db);
  creator = await sessionFor(web, world.creator);
  helper = await sessionFor(web, world.helper);
  outsider = await sessionFor(web, world.outsider);
}, 120_000);
afterAll(async () => {
  await web.close();
  await world.close();
});

const get = (token: string, path: string) => web.call('GET', `/app/api/${path}`, { headers: bearer(token) });
const entry = (i: number) => world.entries[i]!;

/**
 * The table's rows are built by Postgres (db/queries/review-table.ts), readiness written again in SQL:
 * they must be exactly the rows the chat's rule gives (`toRow` over `reviewList`), in the same order.
 */
async function sameAsTheChat(token: string, officialId: number, lang: 'id' | 'en'): Promise<void> {
  const t = (await get(token, `campaigns/${world.campaign.id}/table`)).json as TableAnswer;
  const chat = await reviewList(world.db, BigInt(officialId), world.campaign.id, NOW);
  if (!chat.ok) throw new Error(chat.error);
  expect(t.rows).toEqual(chat.value.items.map((i) => toRow(lang, i)));
  expect(t.counts).toEqual(countsOf(chat.value.items));
}

describe('GET campaigns/:id/table', () => {
  it('has a row for every entry, with readiness and the reasons in the chat’s words, and the counts', async () => {
    const r = await get(creator, `campaigns/${world.campaign.id}/table`);
    expect(r.status).toBe(200);
    const t = r.json as TableAnswer;
    expect(t.campaign).toMatchObject({ id: world.campaign.id, title: 'Tmall 11.11 Web', maxShortlist: 3 });
    expect(t.campaign.phase).toBeTruthy();
    expect(t.rows.map((x) => x.id).sort((a, b) => a - b)).toEqual(world.entries.map((e) => e.submissionId).sort((a, b) => a - b));
    const row = (i: number) => t.rows.find((x) => x.id === entry(i).submissionId)!;
    expect(row(0)).toMatchObject({ code: entry(0).code, product: 'Kopi Web 0', exporter: `PT Kopi ${entry(0).owner.id}`, province: 'Jawa Timur', committed: 1000, stock: 2000, ready: true, reasons: [], decision: 'undecided', version: 1, unit: 'kg' });
    expect(row(0).stockAt).toBe(NOW.toISOString());
    expect(row(1)).toMatchObject({ ready: false, reasons: ['stok di bawah komitmen'], stock: 300 });
    expect(row(2)).toMatchObject({ ready: false, reasons: ['stok di bawah komitmen', 'laporan stok tidak segar'], stock: null, stockAt: null });
    expect(row(3)).toMatchObject({ ready: false, reasons: ['kapasitas di bawah komitmen'] });
    expect(row(4)).toMatchObject({ ready: false, reasons: ['laporan stok tidak segar'], stock: 2000 });
    expect(row(5)).toMatchObject({ ready: true, reasons: [] });
    // Readiest first.
    expect(t.rows.slice(0, 2).every((x) => x.ready)).toBe(true);
    expect(t.counts).toEqual({ entries: 6, ready: 2, shortlisted: 0, rejected: 0, undecided: 6 });
    expect(Number.isNaN(new Date(t.cursor).getTime())).toBe(false);
    await sameAsTheChat(creator, world.creator.id, 'id');
  });

  it('an English-speaking official gets the reasons in English', async () => {
    const en = { id: 991_730_050, first_name: 'Mr Smith', language_code: 'en' };
    await recordSeenUser(world.db, en, { chatId: en.id, adminIds: [], defaultTimeZone: 'Asia/Jakarta' }, NOW);
    const inv = await createInvite(world.db, BigInt(world.admin.id), NOW);
    if (!inv.ok) throw new Error(inv.error);
    expect((await redeemInvite(world.db, BigInt(en.id), inv.value.token, NOW)).ok).toBe(true);
    expect((await addToTeam(world.db, BigInt(world.creator.id), world.campaign.id, BigInt(en.id))).ok).toBe(true);
    const token = await sessionFor(web, en);
    const t = (await get(token, `campaigns/${world.campaign.id}/table`)).json as TableAnswer;
    expect(t.rows.find((x) => x.id === entry(1).submissionId)?.reasons).toEqual(['stock below the commitment']);
    await sameAsTheChat(token, en.id, 'en');
  });


  it('an official outside the team: 403 (and audited); an unknown campaign: 403 too', async () => {
    const r = await get(outsider, `campaigns/${world.campaign.id}/table`);
    expect(r.status).toBe(403);
    const refused = (await auditOf(world.db, world.outsider.id)).filter((a) => a.outcome === 'refused' && a.action === 'review.list');
    expect(refused.length).toBeGreaterThan(0);
    expect((await get(creator, 'campaigns/99999/table')).status).toBe(403);
    // An admin may see any campaign, so to them a missing one is 404.
    const admin = await sessionFor(web, world.admin);
    expect((await get(admin, 'campaigns/99999/table')).status).toBe(404);
    expect((await get(admin, `campaigns/${world.campaign.id}/table`)).status).toBe(200);
  });
});

describe('GET entries/:id', () => {
  it('the panel: the product, whom to call, the stock reports, and the history', async () => {
    const r = await get(creator, `entries/${entry(0).submissionId}`);
    expect(r.status).toBe(200);
    const d = r.json as EntryDetail;
    expect(d.row).toMatchObject({ id: entry(0).submissionId, code: entry(0).code });
    expect(d.product).toMatchObject({ name: 'Kopi Web 0', code: entry(0).code, capacity: 10_000, unit: 'kg' });
    expect(d.contact).toMatchObject({ company: `PT Kopi ${entry(0).owner.id}`, phone: '+6281234567890', province: 'Jawa Timur', city: 'Malang' });
    expect(d.contact.contactPerson).toContain('Eksportir 0');
    expect(d.reports).toEqual([{ quantity: 2000, at: NOW.toISOString() }]);
    expect(d.committed).toBe(1000);
    expect(d.history).toHaveLength(1);
    expect(d.history[0]!.at).toBe(NOW.toISOString());
  });

  it('the panel is for the team only', async () => {
    expect((await get(outsider, `entries/${entry(0).submissionId}`)).status).toBe(403);
  });
});

describe('GET campaigns/:id/changes?since=', () => {
  it('brings a decision made in the chat (through the service) and a withdrawal, and nothing untouched', async () => {
    // Everything seeded so far was written seconds ago; the poll looks 30 s back before its cursor,
    // so push the seeded rows' write time back to stand for "long before the page was opened".
    const ids = world.entries.map((e) => e.submissionId);
    await world.db.update(submissions).set({ updatedAt: new Date(Date.now() - 3_600_000) }).where(inArray(submissions.id, ids));
    const table = (await get(helper, `campaigns/${world.campaign.id}/table`)).json as TableAnswer;
    const quiet = (await get(helper, `campaigns/${world.campaign.id}/changes?since=${encodeURIComponent(table.cursor)}`)).json as ChangesAnswer;
    expect(quiet.rows).toEqual([]);
    expect(quiet.counts).toEqual(table.counts);

    const picked = entry(0);
    const s = await submissionRow(world.db, picked.submissionId);
    const chat = await decide(world.db, BigInt(world.creator.id), picked.submissionId, 'shortlist', { now: NOW, version: s.version });
    expect(chat.ok).toBe(true);
    const gone = entry(5);
    const w = await withdrawSubmission(world.db, BigInt(gone.owner.id), gone.submissionId, reasonAsTyped('stok habis terjual'), NOW);
    expect(w.ok).toBe(true);

    const r = await get(helper, `campaigns/${world.campaign.id}/changes?since=${encodeURIComponent(table.cursor)}`);
    expect(r.status).toBe(200);
    const c = r.json as ChangesAnswer;
    expect(c.rows.map((x) => x.id).sort((a, b) => a - b)).toEqual([picked.submissionId, gone.submissionId].sort((a, b) => a - b));
    expect(c.rows.find((x) => x.id === picked.submissionId)).toMatchObject({ decision: 'shortlisted', version: s.version + 1 });
    expect(c.rows.find((x) => x.id === gone.submissionId)).toMatchObject({ decision: 'withdrawn' });
    // A withdrawn entry is no longer counted.
    expect(c.counts).toEqual({ entries: 5, ready: 1, shortlisted: 1, rejected: 0, undecided: 4 });
    expect(new Date(c.cursor).getTime()).toBeGreaterThanOrEqual(new Date(table.cursor).getTime());
    // The table itself leaves the withdrawn entry out, as /tinjau does.
    const after = (await get(helper, `campaigns/${world.campaign.id}/table`)).json as TableAnswer;
    expect(after.rows.map((x) => x.id)).not.toContain(gone.submissionId);
    // With a decision and a withdrawal in it, still exactly the chat's rows and order.
    await sameAsTheChat(helper, world.helper.id, 'id');
  });

  it('a missing or unreadable since: 400; outside the team: 403', async () => {
    expect((await get(helper, `campaigns/${world.campaign.id}/changes`)).status).toBe(400);
    expect((await get(helper, `campaigns/${world.campaign.id}/changes?since=yesterday`)).status).toBe(400);
    expect((await get(outsider, `campaigns/${world.campaign.id}/changes?since=${encodeURIComponent(NOW.toISOString())}`)).status).toBe(403);
  });
});

describe('the report download', () => {
  const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  const linkFor = async (token: string) => {
    const r = await web.call('POST', `/app/api/campaigns/${world.campaign.id}/report-link`, { headers: bearer(token), body: {} });
    expect(r.status).toBe(200);
    const { url } = r.json as { url: string };
    expect(url.startsWith(`/app/api/campaigns/${world.campaign.id}/report.xlsx?`)).toBe(true);
    return url;
  };

  it('a signed link downloads the XLSX without any header, and is audited as the /laporan export', async () => {
    const url = await linkFor(creator);
    const r = await web.call('GET', url);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe(XLSX);
    expect(r.headers['content-disposition']).toMatch(new RegExp(`filename="etalase-${world.campaign.slug}-\\d{4}-\\d{2}-\\d{2}\\.xlsx"`));
    expect(r.body.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(Number(r.headers['content-length'])).toBe(r.body.length);
    expect((await auditOf(world.db, world.creator.id)).some((a) => a.action === 'report.export' && a.outcome === 'ok')).toBe(true);
  });

  it('a tampered signature, another user id, or a link for another campaign: 403, counted', async () => {
    const url = await linkFor(creator);
    const u = new URL(url, 'http://x');
    const sig = u.searchParams.get('sig')!;
    const before = web.metrics.count(403, 'forbidden');
    const tampered = new URL(u);
    tampered.searchParams.set('sig', (sig.startsWith('A') ? 'B' : 'A') + sig.slice(1));
    expect((await web.call('GET', tampered.pathname + tampered.search)).status).toBe(403);
    const other = new URL(u);
    other.searchParams.set('uid', String(world.helper.id));
    expect((await web.call('GET', other.pathname + other.search)).status).toBe(403);
    expect((await web.call('GET', u.pathname.replace(`/${world.campaign.id}/`, `/${world.campaign.id + 1}/`) + u.search)).status).toBe(403);
    expect((await web.call('GET', u.pathname)).status).toBe(403);
    expect(web.metrics.count(403, 'forbidden')).toBe(before + 4);
  });

  it('a link outlives neither its five minutes nor its holder’s place in the team', async () => {
    const url = await linkFor(helper);
    const later = await startWebServer(world.db, { now: () => new Date(NOW.getTime() + 5 * 60_000 + 1000) });
    try {
      expect((await later.call('GET', url)).status).toBe(403);
    } finally {
      await later.close();
    }
    expect((await removeFromTeam(world.db, BigInt(world.creator.id), world.campaign.id, BigInt(world.helper.id))).ok).toBe(true);
    expect((await web.call('GET', url)).status).toBe(403);
  });

  it('with WEBAPP_URL set, the link is absolute under it (with or without its trailing slash)', async () => {
    for (const publicUrl of ['https://etalase.example.go.id/app/', 'https://etalase.example.go.id/app']) {
      const other = await startWebServer(world.db, { publicUrl });
      try {
        const r = await other.call('POST', `/app/api/campaigns/${world.campaign.id}/report-link`, { headers: bearer(creator) });
        expect(r.status).toBe(200);
        const url = new URL((r.json as { url: string }).url);
        expect(url.origin + url.pathname).toBe(`https://etalase.example.go.id/app/api/campaigns/${world.campaign.id}/report.xlsx`);
        // The same path and query download here.
        expect((await other.call('GET', url.pathname + url.search)).status).toBe(200);
      } finally {
        await other.close();
      }
    }
  });

  it('no link is handed to an official outside the team', async () => {
    const r = await web.call('POST', `/app/api/campaigns/${world.campaign.id}/report-link`, { headers: bearer(outsider) });
    expect(r.status).toBe(403);
  });
});
