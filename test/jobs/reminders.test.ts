import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { deliveries, products, submissions } from '../../src/db/schema/index.js';
import { createCampaign } from '../../src/services/campaigns.js';
import { startTestBot, type TestBot } from '../support/harness.js';
import { seedExporters } from '../support/seed.js';

let bot: TestBot;
let now = new Date('2026-11-28T03:00:00Z').getTime();
const OFFICIAL = { id: 990_400_001, first_name: 'Pak Budi', language_code: 'id' };

beforeAll(async () => {
  bot = await startTestBot({ env: { ADMIN_TELEGRAM_IDS: String(OFFICIAL.id), SEND_RATE_PER_SEC: '200', REMINDER_TICK_SECONDS: '3600' }, now: () => new Date(now) });
  await bot.send(OFFICIAL, '/start');
});
afterAll(async () => bot?.stop());

async function drained(): Promise<void> {
  const end = Date.now() + 20_000;
  for (;;) {
    const rows = await bot.app.database.db.select().from(deliveries).where(sql`${deliveries.status} in ('queued', 'sending')`);
    if (rows.length === 0) return;
    if (Date.now() > end) throw new Error('deliveries not drained');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('reminders', () => {
  it('choose their audience when they fire, go out once per person even after a clock jump, and open the campaign', async () => {
    const wib = await seedExporters(bot.app.database.db, 4, { base: 700_600_000, category: 'cocoa' });
    const wita = await seedExporters(bot.app.database.db, 3, { base: 700_600_100, category: 'cocoa', timeZone: 'Asia/Makassar' });
    const other = await seedExporters(bot.app.database.db, 2, { base: 700_600_200, category: 'tea' });
    const r = await createCampaign(
      bot.app.database.db,
      BigInt(OFFICIAL.id),
      {
        title: 'Kakao ke Eropa',
        market: 'SIAL Paris',
        description: 'Kakao fermentasi',
        targetCategories: ['cocoa'],
        registrationDeadline: new Date('2026-12-10T10:00:00Z'),
        stockDeadline: new Date('2026-12-20T10:00:00Z'),
        eventAt: new Date('2026-12-30T10:00:00Z'),
        maxShortlist: 3,
        freshnessDays: 7,
      },
      new Date(now),
    );
    if (!r.ok) throw new Error(r.error);

    // One WIB exporter submits before the first reminder fires: they must not be reminded to register.
    const [p] = await bot.app.database.db.select().from(products).where(eq(products.code, `SEED-${wib[0]}`));
    await bot.app.database.db.insert(submissions).values({ campaignId: r.value.id, productId: p!.id, committedQuantity: 100 });

    // Nothing is due yet.
    expect(await bot.app.jobs!.tickReminders(new Date(now))).toBe(0);

    // The clock jumps past the 7-day and 3-day registration reminders at once.
    now = new Date('2026-12-08T12:00:00Z').getTime();
    const sent = await bot.app.jobs!.tickReminders(new Date(now));
    // 6 eligible exporters (3 WIB + 3 WITA) × 2 offsets; the submitter and the tea exporters get none.
    expect(sent).toBe(12);
    await drained();
    expect(await bot.app.jobs!.tickReminders(new Date(now))).toBe(0);

    const rows = await bot.app.database.db.select().from(deliveries).where(and(eq(deliveries.kind, 'reminder'), eq(deliveries.ref, `campaign:${r.value.id}`)));
    const recipients = new Set(rows.map((x) => Number(x.recipientId)));
    expect([...recipients].sort()).toEqual([...wib.slice(1), ...wita].sort());
    expect(rows.every((x) => x.status === 'sent')).toBe(true);
    for (const id of [wib[0]!, ...other]) expect(bot.api.messagesTo(id)).toHaveLength(0);

    const msg = bot.api.messagesTo(wita[0]!)[0]!;
    expect(msg.plainText).toMatch(/Pengingat: pendaftaran kampanye Kakao ke Eropa ditutup Kam, 10 Des 2026 18\.00 WITA/);
    expect(JSON.stringify(msg.replyMarkup)).toContain(`cp:o:${r.value.id}`);
    // Quiet hours: every reminder was due between 07:00 and 21:00 in its recipient's zone.
    const due = await bot.app.database.db.execute<{ zone: string; due_at: string }>(sql`select zone, due_at from reminders where campaign_id = ${r.value.id} and status = 'done'`);
    expect((due as unknown[]).length).toBeGreaterThan(0);
  });

  it('are cancelled when the campaign closes before they fire', async () => {
    const ids = await seedExporters(bot.app.database.db, 2, { base: 700_600_300, category: 'handicraft' });
    const r = await createCampaign(
      bot.app.database.db,
      BigInt(OFFICIAL.id),
      { title: 'Kerajinan', market: 'Etsy', description: 'x', targetCategories: ['handicraft'], registrationDeadline: new Date(now + 10 * 86_400_000), stockDeadline: new Date(now + 12 * 86_400_000), eventAt: new Date(now + 20 * 86_400_000), maxShortlist: 2, freshnessDays: 7 },
      new Date(now),
    );
    if (!r.ok) throw new Error(r.error);
    const { closeCampaign } = await import('../../src/services/campaigns.js');
    await closeCampaign(bot.app.database.db, BigInt(OFFICIAL.id), r.value.id);
    now += 30 * 86_400_000;
    await bot.app.jobs!.tickReminders(new Date(now));
    for (const id of ids) expect(bot.api.messagesTo(id)).toHaveLength(0);
  });
});
