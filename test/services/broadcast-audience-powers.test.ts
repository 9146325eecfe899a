import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../src/db/client.js';
import { auditLog, broadcasts, campaignTeam, deliveries, users } from '../../src/db/schema/index.js';
import { audienceSize, createBroadcast, failedRecipients, retryFailed } from '../../src/services/broadcasts.js';
import { createCampaign } from '../../src/services/campaigns.js';
import { cancelScheduledBroadcast, scheduleBroadcast, startDueBroadcasts } from '../../src/services/scheduled-broadcasts.js';
import { recordSeenUser } from '../../src/services/users.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { seedExporters } from '../support/seed.js';

const ADMIN = 731_900_001;
const OWNER = 731_900_002;
const OUTSIDER = 731_900_003;
let db: TestDatabase;
let database: Database;
let campaignId: number;
const now = new Date('2026-12-01T03:00:00Z');

beforeAll(async () => {
  db = await createTestDatabase();
  database = await db.open();
  await recordSeenUser(database.db, { id: ADMIN, first_name: 'Admin' }, { chatId: ADMIN, adminIds: [BigInt(ADMIN)], defaultTimeZone: 'Asia/Jakarta' });
  await database.db.insert(users).values([
    { id: BigInt(OWNER), chatId: BigInt(OWNER), displayName: 'Bu Retno', role: 'official' },
    { id: BigInt(OUTSIDER), chatId: BigInt(OUTSIDER), displayName: 'Pak Lain', role: 'official' },
  ]);
  await seedExporters(database.db, 3, { base: 731_000_000 });
  const c = await createCampaign(
    database.db,
    BigInt(OWNER),
    {
      title: 'Tim Sendiri',
      market: 'Tmall Global',
      description: 'uji',
      targetCategories: ['coffee' as const],
      registrationDeadline: new Date('2026-12-10T10:00:00Z'),
      stockDeadline: new Date('2026-12-20T10:00:00Z'),
      eventAt: new Date('2026-12-30T10:00:00Z'),
      maxShortlist: 3,
      freshnessDays: 7,
    },
    now,
  );
  if (!c.ok) throw new Error(c.error);
  campaignId = c.value.id;
});
afterAll(async () => {
  await database?.close();
  await db?.drop();
});

const input = (audience: Parameters<typeof createBroadcast>[2]['audience'], by: number) => ({ audience, text: 'Siaran tim', entities: [], progressChatId: BigInt(by) });

describe("a campaign's own audience (its submitters, its shortlist)", () => {
  it('is addressed only by its team or an admin: another official is refused when counting, queuing or scheduling, and the refusal is audited', async () => {
    for (const audience of [{ type: 'submitters' as const, campaignId }, { type: 'shortlisted' as const, campaignId }]) {
      expect(await audienceSize(database.db, BigInt(OUTSIDER), audience)).toEqual({ ok: false, error: 'forbidden' });
      expect(await createBroadcast(database.db, BigInt(OUTSIDER), input(audience, OUTSIDER), now)).toEqual({ ok: false, error: 'forbidden' });
      expect(await scheduleBroadcast(database.db, BigInt(OUTSIDER), { ...input(audience, OUTSIDER), at: new Date(now.getTime() + 3_600_000) }, now)).toEqual({ ok: false, error: 'forbidden' });
      expect((await audienceSize(database.db, BigInt(OWNER), audience)).ok).toBe(true);
      expect((await audienceSize(database.db, BigInt(ADMIN), audience)).ok).toBe(true);
    }
    expect((await database.db.select().from(broadcasts).where(eq(broadcasts.authorId, BigInt(OUTSIDER))))).toEqual([]);
    const refusals = await database.db.select().from(auditLog).where(and(eq(auditLog.actorId, BigInt(OUTSIDER)), eq(auditLog.outcome, 'refused')));
    expect(refusals.length).toBeGreaterThanOrEqual(6);
  });

  it("a broadcast to a campaign's audience is followed up by its team only: another official's failed list, retry and cancel are refused", async () => {
    const audience = { type: 'submitters' as const, campaignId };
    const sent = await createBroadcast(database.db, BigInt(OWNER), input(audience, OWNER), now);
    if (!sent.ok) throw new Error(sent.error);
    const id = sent.value.broadcast.id;
    expect(await failedRecipients(database.db, BigInt(OUTSIDER), id)).toEqual({ ok: false, error: 'forbidden' });
    expect(await retryFailed(database.db, BigInt(OUTSIDER), id)).toEqual({ ok: false, error: 'forbidden' });
    expect((await failedRecipients(database.db, BigInt(OWNER), id)).ok).toBe(true);
    const later = await scheduleBroadcast(database.db, BigInt(OWNER), { ...input(audience, OWNER), at: new Date(now.getTime() + 7_200_000) }, now);
    if (!later.ok) throw new Error(later.error);
    expect(await cancelScheduledBroadcast(database.db, BigInt(OUTSIDER), later.value.broadcast.id, now)).toEqual({ ok: false, error: 'forbidden' });
    const [row] = await database.db.select().from(broadcasts).where(eq(broadcasts.id, later.value.broadcast.id));
    expect(row?.status).toBe('scheduled');
    expect((await cancelScheduledBroadcast(database.db, BigInt(OWNER), later.value.broadcast.id, now)).ok).toBe(true);
  });

  it('a general audience stays open to any official', async () => {
    const r = await createBroadcast(database.db, BigInt(OUTSIDER), input({ type: 'all' }, OUTSIDER), now);
    expect(r.ok).toBe(true);
  });

  it('a scheduled broadcast whose author is no longer in the team when it is due never starts', async () => {
    const audience = { type: 'submitters' as const, campaignId };
    const s = await scheduleBroadcast(database.db, BigInt(OWNER), { ...input(audience, OWNER), at: new Date(now.getTime() + 3_600_000) }, now);
    if (!s.ok) throw new Error(s.error);
    // The author leaves the campaign's team before it is due.
    await database.db.delete(campaignTeam).where(and(eq(campaignTeam.campaignId, campaignId), eq(campaignTeam.userId, BigInt(OWNER))));
    const started = await startDueBroadcasts(database.db, new Date(now.getTime() + 3_700_000));
    expect(started.map((b) => b.broadcast.id)).not.toContain(s.value.broadcast.id);
    const [row] = await database.db.select().from(broadcasts).where(eq(broadcasts.id, s.value.broadcast.id));
    expect(row?.status).toBe('cancelled');
    expect(await database.db.select().from(deliveries).where(eq(deliveries.ref, `broadcast:${s.value.broadcast.id}`))).toEqual([]);
  });
});
