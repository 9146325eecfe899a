import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { campaigns, reminders } from '../../src/db/schema/index.js';
import { makeUser, startTestBot, type TestBot } from '../support/harness.js';

let bot: TestBot;
// Saturday 28 Nov 2026, 10:00 WIB.
const now = new Date('2026-11-28T03:00:00Z').getTime();
const ADMIN = { id: 990_200_001, first_name: 'Pak Admin', language_code: 'id' };

beforeAll(async () => {
  bot = await startTestBot({ env: { ADMIN_TELEGRAM_IDS: String(ADMIN.id), RUN_JOBS: 'false' }, now: () => new Date(now) });
  await bot.send(ADMIN, '/start');
});
afterAll(async () => bot?.stop());

async function createCampaign(dates: [string, string, string], title = 'Tmall Global 11.11 Kopi'): Promise<string> {
  await bot.send(ADMIN, '/kampanye_baru');
  await bot.send(ADMIN, title);
  await bot.send(ADMIN, 'Tmall Global 11.11');
  await bot.send(ADMIN, 'Kopi spesialti untuk pembeli Tiongkok.');
  await bot.pressButton(ADMIN, /Kopi/);
  await bot.pressButton(ADMIN, /Selesai/);
  for (const d of dates) await bot.send(ADMIN, d);
  await bot.pressButton(ADMIN, /Lewati/);
  await bot.pressButton(ADMIN, /Lewati/);
  await bot.pressButton(ADMIN, /Simpan/);
  return bot.lastTextTo(ADMIN);
}

describe('creating a campaign', () => {
  it('reads dates as people type them, confirms every deadline in WIB, WITA and WIT, and schedules reminders', async () => {
    const text = await createCampaign(['20/12/2026 17:00', '27-12-2026 17.00 WITA', '11 Jan 2027 10am WIT']);
    expect(text).toMatch(/Kampanye Tmall Global 11\.11 Kopi dibuat/);
    expect(text).toContain('Min, 20 Des 2026 17.00 WIB');
    expect(text).toContain('Min, 20 Des 2026 18.00 WITA');
    expect(text).toContain('Min, 20 Des 2026 19.00 WIT');
    expect(text).toContain('Min, 27 Des 2026 16.00 WIB');
    expect(text).toMatch(/start=c_tmall-global-11-11-kopi-[0-9a-f]{4}/);
    const [c] = await bot.app.database.db.select().from(campaigns).where(eq(campaigns.title, 'Tmall Global 11.11 Kopi'));
    expect(c?.registrationDeadline.toISOString()).toBe('2026-12-20T10:00:00.000Z');
    expect(c?.stockDeadline.toISOString()).toBe('2026-12-27T09:00:00.000Z');
    expect(c?.eventAt.toISOString()).toBe('2027-01-11T01:00:00.000Z');
    expect(c).toMatchObject({ maxShortlist: 3, freshnessDays: 7, targetCategories: ['coffee'] });
    const rows = await bot.app.database.db.select().from(reminders).where(eq(reminders.campaignId, c!.id));
    // Two deadlines × four offsets × three zones, all in the future, and the officials' summary.
    expect(rows).toHaveLength(25);
    expect(rows.filter((r) => r.zone === 'OFFICIALS').map((r) => r.dueAt.toISOString())).toEqual(['2026-12-27T09:00:00.000Z']);
    for (const r of rows.filter((x) => x.zone !== 'OFFICIALS')) {
      const local = new Date(r.dueAt.getTime() + ({ WIB: 7, WITA: 8, WIT: 9 } as Record<string, number>)[r.zone]! * 3600_000).getUTCHours();
      expect(local).toBeGreaterThanOrEqual(7);
      expect(local).toBeLessThan(21);
    }
  });

  it('refuses a deadline in the past and deadlines out of order, with the reason, staying on the step', async () => {
    await bot.send(ADMIN, '/kampanye_baru');
    for (const a of ['Kampanye Uji', 'Shopee', 'Uji']) await bot.send(ADMIN, a);
    await bot.pressButton(ADMIN, /Semua kategori/);
    await bot.pressButton(ADMIN, /Selesai/);
    await bot.send(ADMIN, '1/1/2026 10:00');
    expect(bot.lastTextTo(ADMIN)).toMatch(/sudah lewat/);
    await bot.send(ADMIN, '31/02/2027');
    expect(bot.lastTextTo(ADMIN)).toMatch(/tidak ada di kalender/);
    await bot.send(ADMIN, 'besok sore');
    expect(bot.lastTextTo(ADMIN)).toMatch(/tidak terbaca/);
    await bot.send(ADMIN, '10/12/2026');
    await bot.send(ADMIN, '9/12/2026');
    expect(bot.lastTextTo(ADMIN)).toMatch(/harus setelah tenggat pendaftaran/);
    await bot.send(ADMIN, '15/12/2026');
    await bot.send(ADMIN, '14/12/2026');
    expect(bot.lastTextTo(ADMIN)).toMatch(/tidak boleh sebelum tenggat konfirmasi stok/);
    await bot.send(ADMIN, '/batal');
  });
});

describe('changing and closing a campaign', () => {
  it('reschedules the reminders of a moved deadline and cancels all on close', async () => {
    await createCampaign(['20/12/2026 17:00', '27/12/2026 17:00', '11/1/2027'], 'Alibaba Single Day');
    const [c] = await bot.app.database.db.select().from(campaigns).where(eq(campaigns.title, 'Alibaba Single Day'));
    await bot.send(ADMIN, '/kampanye_saya');
    await bot.pressButton(ADMIN, /Alibaba Single Day/);
    expect(bot.lastTextTo(ADMIN)).toMatch(/Pendaftaran ditutup: Min, 20 Des 2026 17\.00 WIB/);
    await bot.pressButton(ADMIN, /Ubah/);
    await bot.pressButton(ADMIN, /✏️ Tenggat pendaftaran/);
    await bot.send(ADMIN, '22/12/2026 17:00');
    await bot.pressButton(ADMIN, /Simpan/);
    expect(bot.lastTextTo(ADMIN)).toMatch(/diperbarui/);
    const rows = await bot.app.database.db.select().from(reminders).where(eq(reminders.campaignId, c!.id));
    const reg = rows.filter((r) => r.kind === 'registration');
    expect(reg.filter((r) => r.status === 'cancelled')).toHaveLength(12);
    expect(reg.filter((r) => r.status === 'pending').every((r) => r.deadlineAt.toISOString() === '2026-12-22T10:00:00.000Z')).toBe(true);
    expect(rows.filter((r) => r.kind === 'stock' && r.status === 'pending')).toHaveLength(13);

    await bot.send(ADMIN, '/kampanye_saya');
    await bot.pressButton(ADMIN, /Alibaba Single Day/);
    await bot.pressButton(ADMIN, /Tutup/);
    await bot.pressButton(ADMIN, /Ya, tutup/);
    expect(bot.lastTextTo(ADMIN)).toMatch(/ditutup. Pengingat yang belum terkirim dibatalkan/);
    const pending = await bot.app.database.db.select().from(reminders).where(and(eq(reminders.campaignId, c!.id), eq(reminders.status, 'pending')));
    expect(pending).toHaveLength(0);
  });
});

describe('exporters see campaigns', () => {
  it('lists open campaigns with countdowns in their own zone, and a deep link opens one', async () => {
    const u = makeUser({ first_name: 'Ketut' });
    await bot.send(u, '/kampanye');
    const list = bot.lastTextTo(u);
    expect(list).toMatch(/Tmall Global 11\.11 Kopi \(Tmall Global 11\.11\): pendaftaran ditutup Min, 20 Des 2026 17\.00 WIB, 22 hari 7 jam lagi/);
    expect(list).not.toMatch(/Alibaba Single Day/);
    const [c] = await bot.app.database.db.select().from(campaigns).where(eq(campaigns.title, 'Tmall Global 11.11 Kopi'));
    await bot.send(u, `/start c_${c!.slug}`);
    expect(bot.lastTextTo(u)).toMatch(/^Tmall Global 11\.11 Kopi\nTahap: 📝 pendaftaran dibuka\nPasar: Tmall Global 11\.11/);
    expect(bot.lastTextTo(u)).toMatch(/Pendaftaran ditutup: Min, 20 Des 2026 17\.00 WIB \(22 hari 7 jam\)/);
    await bot.send(u, '/start c_tidak-ada');
    expect(bot.lastTextTo(u)).toMatch(/tidak ditemukan/);
  });
});
