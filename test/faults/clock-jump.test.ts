import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { deliveries } from '../../src/db/schema/index.js';
import { createCampaign } from '../../src/services/campaigns.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { FakeBotApi } from '../support/fake-bot-api.js';
import { freshRedisPrefix, startTestBot, TEST_TOKEN, type TestBot } from '../support/harness.js';
import { seedExporters } from '../support/seed.js';

let db: TestDatabase;
let api: FakeBotApi;
let a: TestBot;
let b: TestBot;
let now = new Date('2026-11-28T03:00:00Z').getTime();
const OFFICIAL = 990_950_001;

beforeAll(async () => {
  db = await createTestDatabase();
  api = await FakeBotApi.start({ token: TEST_TOKEN });
  const prefix = freshRedisPrefix();
  const env = { ADMIN_TELEGRAM_IDS: String(OFFICIAL), SEND_RATE_PER_SEC: '200', REMINDER_TICK_SECONDS: '3600' };
  // Two bot "processes" on one database and one Redis, each with its own clock reading the jump.
  a = await startTestBot({ db, api, redisPrefix: prefix, env, now: () => new Date(now) });
  b = await startTestBot({ db, api, redisPrefix: prefix, env, now: () => new Date(now) });
  await a.send({ id: OFFICIAL, first_name: 'Official', language_code: 'id' }, '/start');
});
afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await api?.close();
  await db?.drop();
});

describe('the clock jumps forward past several reminders', () => {
  it('sends each reminder once, late — not skipped, not doubled — even when two processes tick together', async () => {
    const ids = await seedExporters(a.app.database.db, 10, { base: 770_000_000, category: 'tea' });
    const r = await createCampaign(
      a.app.database.db,
      BigInt(OFFICIAL),
      { title: 'Teh Dunia', market: 'World Tea Expo', description: 'x', targetCategories: ['tea'], registrationDeadline: new Date(now + 10 * 86_400_000), stockDeadline: new Date(now + 12 * 86_400_000), eventAt: new Date(now + 20 * 86_400_000), maxShortlist: 3, freshnessDays: 7 },
      new Date(now),
    );
    if (!r.ok) throw new Error(r.error);
    // Jump past the 7-day, 3-day and 1-day registration reminders in one go.
    now += 9.5 * 86_400_000;
    const counts = await Promise.all([a.app.jobs!.tickReminders(new Date(now)), b.app.jobs!.tickReminders(new Date(now)), a.app.jobs!.tickReminders(new Date(now))]);
    expect(counts.reduce((x, y) => x + y, 0)).toBe(30);
    const end = Date.now() + 20_000;
    for (;;) {
      const open = await a.app.database.db.select({ n: sql<number>`count(*)::int` }).from(deliveries).where(sql`${deliveries.status} in ('queued','sending')`);
      if (Number(open[0]?.n) === 0) break;
      if (Date.now() > end) throw new Error('not drained');
      await new Promise((res) => setTimeout(res, 100));
    }
    for (const id of ids) {
      const reminders = api.messagesTo(id).filter((m) => m.plainText.includes('Pengingat'));
      expect(reminders).toHaveLength(3);
    }
    const rows = await a.app.database.db.select().from(deliveries).where(eq(deliveries.ref, `campaign:${r.value.id}`));
    expect(rows.every((x) => x.status === 'sent')).toBe(true);
    expect(await a.app.jobs!.tickReminders(new Date(now))).toBe(0);
  }, 60_000);
});
