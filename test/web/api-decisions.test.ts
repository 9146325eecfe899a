import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeOfficial } from '../../src/services/roles.js';
import { reportStock, stockLineFor } from '../../src/services/stock.js';
import { withdrawSubmission } from '../../src/services/submissions.js';
import type { Counts, EntryDetail, Row } from '../../src/web/contract.js';
import { auditOfTarget, bearer, eventsOf, NOW, seedWorld, sessionFor, startWebServer, submissionRow, type WebServer, type World } from './support.js';
import { reasonAsTyped } from '../../src/domain/reasons.js';

// Issue 17: 🏆 / ✖️ / ↩️ from the table go through the chat's own `decide`: the maximum, the version
// check, the confirmation for a product that is not ready, the stock at decision time, one event and
// one audit row per decision. Each refusal leaves Postgres as it was.
let world: World;
let web: WebServer;
let creator: string;
let helper: string;
let outsider: string;

// maxShortlist 2. Entries 0–3 ready (stock 2.000 ≥ 1.000); entry 4 not ready (stock 300 < 1.500).
beforeAll(async () => {
  world = await seedWorld(
    991_720_000,
    [
      { committed: 1000, stock: 2000 },
      { committed: 1000, stock: 2000 },
      { committed: 1000, stock: 2000 },
      { committed: 1000, stock: 2000 },
      { committed: 1500, stock: 300 },
    ],
    { maxShortlist: 2 },
  );
  web = await startWebServer(world.db);
  creator = await sessionFor(web, world.creator);
  helper = await sessionFor(web, world.helper);
  outsider = await sessionFor(web, world.outsider);
}, 120_000);
afterAll(async () => {
  await web.close();
  await world.close();
});

interface DecisionAnswer { row: Row; counts: Counts }
interface Refused { error: string; message?: string; row?: Row | null }

const decide = (token: string, id: number, body: Record<string, unknown>) => web.call('POST', `/app/api/entries/${id}/decision`, { headers: bearer(token), body });
const entry = (i: number) => world.entries[i]!;
const target = (i: number) => `submission:${entry(i).submissionId}`;
const decisionsAudited = async (i: number) => (await auditOfTarget(world.db, target(i))).filter((a) => /^review\.(shortlist|reject|undo)$/.test(a.action) && a.outcome === 'ok');

describe('POST entries/:id/decision', () => {
  it('shortlists at the version shown, stores the stock at decision time, one event and one audit row', async () => {
    const e = entry(0);
    const before = await submissionRow(world.db, e.submissionId);
    const r = await decide(creator, e.submissionId, { action: 'shortlist', version: before.version });
    expect(r.status).toBe(200);
    const body = r.json as DecisionAnswer;
    expect(body.row).toMatchObject({ id: e.submissionId, version: before.version + 1, decision: 'shortlisted', code: e.code, stock: 2000, ready: true });
    expect(body.counts).toMatchObject({ entries: 5, shortlisted: 1, undecided: 4, ready: 4 });
    const after = await submissionRow(world.db, e.submissionId);
    expect(after).toMatchObject({ status: 'shortlisted', version: before.version + 1, stockAtDecision: 2000, decidedBy: BigInt(world.creator.id), acceptedNotReady: false });
    expect(after.decidedAt?.getTime()).toBe(NOW.getTime());
    const events = (await eventsOf(world.db, e.submissionId)).filter((ev) => ev.kind === 'shortlisted');
    expect(events).toHaveLength(1);
    expect(events[0]!.details).toMatchObject({ level: 2000, version: before.version + 1 });
    const audits = await decisionsAudited(0);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ action: 'review.shortlist', actorId: BigInt(world.creator.id) });
    expect(audits[0]!.details).toMatchObject({ stockAtDecision: 2000, ready: true });
    // A snapshot: a later report moves the row's stock, not the stock the decision was taken on.
    const [line] = await reportStock(world.db, BigInt(e.owner.id), [stockLineFor(e.code, '1500')], { locale: 'id', source: 'line', now: NOW });
    expect(line?.ok).toBe(true);
    const panel = await web.call('GET', `/app/api/entries/${e.submissionId}`, { headers: bearer(creator) });
    expect((panel.json as { row: Row }).row.stock).toBe(1500);
    expect((await submissionRow(world.db, e.submissionId)).stockAtDecision).toBe(2000);
  });

  it('a stale version: 409 with the current row, and nothing applied', async () => {
    const e = entry(0);
    const current = await submissionRow(world.db, e.submissionId);
    const r = await decide(helper, e.submissionId, { action: 'reject', version: current.version - 1, reason: 'stok tidak jelas' });
    expect(r.status).toBe(409);
    const body = r.json as Refused;
    expect(body.error).toBe('stale');
    expect(body.message).toBeTruthy();
    expect(body.row).toMatchObject({ id: e.submissionId, version: current.version, decision: 'shortlisted' });
    expect(await submissionRow(world.db, e.submissionId)).toEqual(current);
    expect(await decisionsAudited(0)).toHaveLength(1);
  });

  it('two officials deciding the same entry at once with the same version: exactly one 200, the other 409, one event and one audit row', async () => {
    const e = entry(1);
    // A few rounds (undone in between), so that a missing lock cannot pass by luck of arrival order.
    for (let round = 1; round <= 4; round++) {
      const before = await submissionRow(world.db, e.submissionId);
      const [a, b] = await Promise.all([
        decide(creator, e.submissionId, { action: 'shortlist', version: before.version }),
        decide(helper, e.submissionId, { action: 'reject', version: before.version, reason: 'kuota sudah cukup' }),
      ]);
      expect([a.status, b.status].sort(), `round ${round}`).toEqual([200, 409]);
      const winner = a.status === 200 ? a : b;
      const loser = a.status === 200 ? b : a;
      const after = await submissionRow(world.db, e.submissionId);
      expect(after.version).toBe(before.version + 1);
      expect(after.status).toBe(a.status === 200 ? 'shortlisted' : 'rejected');
      expect((winner.json as DecisionAnswer).row.decision).toBe(after.status);
      // The loser is shown what the winner decided.
      expect((loser.json as Refused).error).toBe('stale');
      expect((loser.json as Refused).row).toMatchObject({ version: after.version, decision: after.status });
      const decisions = (await eventsOf(world.db, e.submissionId)).filter((ev) => ev.kind === 'shortlisted' || ev.kind === 'rejected');
      expect(decisions, `round ${round}`).toHaveLength(round);
      expect((await decisionsAudited(1)).filter((x) => x.action !== 'review.undo'), `round ${round}`).toHaveLength(round);
      // Back to undecided for the next round (and for what follows).
      const undo = await decide(creator, e.submissionId, { action: 'undo', version: after.version });
      expect(undo.status).toBe(200);
      expect((undo.json as DecisionAnswer).row.decision).toBe('undecided');
    }
    expect(await submissionRow(world.db, e.submissionId)).toMatchObject({ status: 'submitted', stockAtDecision: null, decidedBy: null });
  });

  it('a not-ready product: 422 needs_confirmation (with its reasons), then 200 with confirmNotReady', async () => {
    const e = entry(4);
    const before = await submissionRow(world.db, e.submissionId);
    const r = await decide(creator, e.submissionId, { action: 'shortlist', version: before.version });
    expect(r.status).toBe(422);
    const body = r.json as Refused;
    expect(body.error).toBe('needs_confirmation');
    expect(body.message).toContain(e.code);
    expect(body.message).toContain('stok di bawah komitmen');
    expect(body.row).toMatchObject({ id: e.submissionId, ready: false, decision: 'undecided' });
    expect(await submissionRow(world.db, e.submissionId)).toEqual(before);
    expect(await decisionsAudited(4)).toHaveLength(0);

    const ok = await decide(creator, e.submissionId, { action: 'shortlist', version: before.version, confirmNotReady: true });
    expect(ok.status).toBe(200);
    expect((ok.json as DecisionAnswer).row).toMatchObject({ decision: 'shortlisted', ready: false, stock: 300 });
    expect((ok.json as DecisionAnswer).counts.shortlisted).toBe(2);
    expect(await submissionRow(world.db, e.submissionId)).toMatchObject({ status: 'shortlisted', acceptedNotReady: true, stockAtDecision: 300 });
    const audits = await decisionsAudited(4);
    expect(audits).toHaveLength(1);
    expect(audits[0]!.details).toMatchObject({ stockAtDecision: 300, ready: false });
  });

  it("beyond the campaign's maximum: 422 max_reached, and nothing changed in Postgres", async () => {
    // Entries 0 and 4 are shortlisted: the maximum (2) is reached.
    const e = entry(2);
    const before = await submissionRow(world.db, e.submissionId);
    const eventsBefore = await eventsOf(world.db, e.submissionId);
    const r = await decide(helper, e.submissionId, { action: 'shortlist', version: before.version });
    expect(r.status).toBe(422);
    const body = r.json as Refused;
    expect(body.error).toBe('max_reached');
    expect(body.message).toMatch(/2/);
    expect(body.row).toMatchObject({ id: e.submissionId, version: before.version, decision: 'undecided' });
    expect(await submissionRow(world.db, e.submissionId)).toEqual(before);
    expect(await eventsOf(world.db, e.submissionId)).toEqual(eventsBefore);
    expect(await decisionsAudited(2)).toHaveLength(0);
    // The table still counts two.
    const table = await web.call('GET', `/app/api/campaigns/${world.campaign.id}/table`, { headers: bearer(helper) });
    expect((table.json as { counts: Counts }).counts.shortlisted).toBe(2);
    // Rejecting is not limited by the maximum.
    const rej = await decide(helper, e.submissionId, { action: 'reject', version: before.version, reason: 'kuota penuh' });
    expect(rej.status).toBe(200);
    expect(await submissionRow(world.db, e.submissionId)).toMatchObject({ status: 'rejected', reason: 'kuota penuh', stockAtDecision: 2000 });
  });

  it('many officials racing for the last place never exceed the maximum', async () => {
    // Free one place, then race entries 1 and 3 for it.
    const freed = await submissionRow(world.db, entry(4).submissionId);
    expect((await decide(creator, freed.id, { action: 'undo', version: freed.version })).status).toBe(200);
    const [v1, v3] = await Promise.all([submissionRow(world.db, entry(1).submissionId), submissionRow(world.db, entry(3).submissionId)]);
    const answers = await Promise.all([
      decide(creator, entry(1).submissionId, { action: 'shortlist', version: v1.version }),
      decide(helper, entry(3).submissionId, { action: 'shortlist', version: v3.version }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 422]);
    expect((answers.find((a) => a.status === 422)!.json as Refused).error).toBe('max_reached');
    const statuses = await Promise.all(world.entries.map((x) => submissionRow(world.db, x.submissionId).then((s) => s.status)));
    expect(statuses.filter((s) => s === 'shortlisted')).toHaveLength(2);
  });

  it('a withdrawn entry: 422 withdrawn at its current version, 409 at an older one, nothing applied', async () => {
    // Entry 2 was rejected above; the exporter withdraws it (registration is still open).
    const e = entry(2);
    const w = await withdrawSubmission(world.db, BigInt(e.owner.id), e.submissionId, reasonAsTyped('stok habis'), NOW);
    expect(w.ok).toBe(true);
    const current = await submissionRow(world.db, e.submissionId);
    const r = await decide(creator, e.submissionId, { action: 'undo', version: current.version });
    expect(r.status).toBe(422);
    expect(r.json).toMatchObject({ error: 'withdrawn', row: { id: e.submissionId, decision: 'withdrawn', version: current.version } });
    expect((await decide(creator, e.submissionId, { action: 'undo', version: current.version - 1 })).status).toBe(409);
    expect(await submissionRow(world.db, e.submissionId)).toEqual(current);
  });

  it('a listed reason goes as its key: stored by key, and each official’s panel reads it in their own language', async () => {
    const e = entry(4);
    const before = await submissionRow(world.db, e.submissionId);
    expect((await decide(creator, e.submissionId, { action: 'reject', version: before.version, reasonKey: 'reject_nonsense' })).status).toBe(400);
    const r = await decide(creator, e.submissionId, { action: 'reject', version: before.version, reasonKey: 'reject_quota' });
    expect(r.status).toBe(200);
    // The words kept beside the key are the ones the (Indonesian) official read.
    expect(await submissionRow(world.db, e.submissionId)).toMatchObject({ status: 'rejected', reasonKey: 'reject_quota', reason: 'Kuota kampanye sudah penuh' });
    const panel = async (token: string) => (await web.call('GET', `/app/api/entries/${e.submissionId}`, { headers: bearer(token) })).json as EntryDetail;
    expect((await panel(creator)).reason).toEqual({ key: 'reject_quota', text: 'Kuota kampanye sudah penuh' });
    // The helper switches to English (/bahasa) and opens the table again.
    await world.db.execute(sql`update users set language = 'en' where id = ${world.helper.id}`);
    const english = await sessionFor(web, world.helper);
    const detail = await panel(english);
    expect(detail.reason).toEqual({ key: 'reject_quota', text: "The campaign's quota is full" });
    expect(detail.history.some((h) => h.text.includes("reason: The campaign's quota is full"))).toBe(true);
    // Typed words win over a key sent with them, and have no key.
    const again = await submissionRow(world.db, e.submissionId);
    expect((await decide(creator, e.submissionId, { action: 'undo', version: again.version })).status).toBe(200);
    const undone = await submissionRow(world.db, e.submissionId);
    expect(undone).toMatchObject({ reason: null, reasonKey: null });
    expect((await decide(creator, e.submissionId, { action: 'reject', version: undone.version, reasonKey: 'reject_quota', reason: 'Kuota penuh: sudah dua' })).status).toBe(200);
    expect(await submissionRow(world.db, e.submissionId)).toMatchObject({ reasonKey: null, reason: 'Kuota penuh: sudah dua' });
    expect((await panel(english)).reason).toEqual({ key: null, text: 'Kuota penuh: sudah dua' });
    await world.db.execute(sql`update users set language = 'id' where id = ${world.helper.id}`);
  });

  it('bad bodies are 400/415 and decide nothing', async () => {
    const e = entry(3);
    const before = await submissionRow(world.db, e.submissionId);
    for (const body of [{ action: 'promote', version: before.version }, { action: 'shortlist' }, { action: 'reject', version: before.version, reason: 'x' }, { action: 'shortlist', version: before.version, extra: 1 }]) {
      const r = await decide(creator, e.submissionId, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
    }
    const text = await web.call('POST', `/app/api/entries/${e.submissionId}/decision`, { headers: { ...bearer(creator), 'content-type': 'text/plain' }, body: { action: 'shortlist', version: before.version } });
    expect(text.status).toBe(415);
    expect(await submissionRow(world.db, e.submissionId)).toEqual(before);
  });

  it('an official outside the team: 403 and audited; an unknown entry is told apart from "not yours" by nobody but an admin', async () => {
    const e = entry(3);
    const before = await submissionRow(world.db, e.submissionId);
    const r = await decide(outsider, e.submissionId, { action: 'reject', version: before.version, reason: 'bukan tim' });
    expect(r.status).toBe(403);
    expect(await submissionRow(world.db, e.submissionId)).toEqual(before);
    const refused = (await auditOfTarget(world.db, target(3))).filter((a) => a.actorId === BigInt(world.outsider.id) && a.outcome === 'refused');
    expect(refused.map((a) => a.action)).toContain('review.reject');
    // review.ts entryForTeam: a forged id must not tell "exists" from "not yours".
    expect((await decide(creator, 99_999_999, { action: 'shortlist', version: 1 })).status).toBe(403);
    expect(await auditOfTarget(world.db, 'submission:99999999')).toEqual([expect.objectContaining({ actorId: BigInt(world.creator.id), outcome: 'refused' })]);
  });

  it('an official revoked after opening the table cannot decide with the token they hold', async () => {
    const e = entry(3);
    const before = await submissionRow(world.db, e.submissionId);
    const token = await sessionFor(web, world.helper);
    expect((await revokeOfficial(world.db, BigInt(world.admin.id), BigInt(world.helper.id))).ok).toBe(true);
    const r = await decide(token, e.submissionId, { action: 'reject', version: before.version, reason: 'sudah dicabut' });
    expect(r.status).toBe(403);
    expect(await submissionRow(world.db, e.submissionId)).toEqual(before);
  });
});
