import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, like, sql } from 'drizzle-orm';
import { deliveries, groupLinks } from '../../src/db/schema/index.js';
import { createCampaign, type Campaign } from '../../src/services/campaigns.js';
import { decide, publishResults } from '../../src/services/review.js';
import { callbackUpdate, textUpdate, type TestUser } from '../support/fake-bot-api.js';
import { makeUser, startTestBot, type TestBot } from '../support/harness.js';
import { addProduct, registerBusiness } from '../support/exporter.js';
import { waitDeliveriesDrained } from '../support/deliveries.js';
import { campaignInput, entryByCode } from '../support/campaign.js';

// The campaign groups' daily readiness digest (issue 18): 08:00 in the zone of the official who made the
// link, on the injected clock; its content by phase; once per day per group even with two processes.
let bot: TestBot;
let now = new Date('2026-11-28T03:00:00Z').getTime(); // 10.00 WIB, 11.00 WITA
const at = (iso: string) => { now = new Date(iso).getTime(); return new Date(now); };
const RETNO = { id: 990_900_001, first_name: 'Bu Retno', language_code: 'id' }; // WIB, Indonesian
const WAYAN = { id: 990_900_002, first_name: 'Pak Wayan', language_code: 'en' }; // WITA, English
const GA = -4_200_000_001;
const GB = -4_200_000_002;
const exporters: { user: TestUser; code: string }[] = [];
let campaign: Campaign;

const db = () => bot.app.database.db;
const drained = () => waitDeliveriesDrained(db());
const digestsTo = (chatId: number) => bot.api.messagesTo(chatId).map((m) => m.plainText).filter((t) => /Kesiapan harian|Daily readiness/.test(t));
const digestRows = () => db().select().from(deliveries).where(eq(deliveries.kind, 'digest'));

async function link(u: TestUser, chatId: number, title: string) {
  await bot.process(textUpdate(u, '/hubungkan@etalase_test_bot', { chatId, chatType: 'group', chatTitle: title }));
  await bot.process(callbackUpdate(u, `gl:c:${campaign.id}`, { chatId, chatType: 'group', chatTitle: title }));
}

const entry = (code: string) => entryByCode(db(), campaign.id, code);

beforeAll(async () => {
  bot = await startTestBot({ env: { SEND_RATE_PER_SEC: '200', REMINDER_TICK_SECONDS: '3600' }, now: () => new Date(now) });
  for (const o of [RETNO, WAYAN]) {
    await bot.send(o, '/start');
    await db().execute(sql`update users set role = 'official' where id = ${o.id}`);
  }
  await db().execute(sql`update users set time_zone = 'Asia/Makassar', time_zone_chosen = true where id = ${WAYAN.id}`);
  for (let i = 0; i < 2; i++) {
    const u = makeUser({ first_name: `Eksportir ${i}` });
    await registerBusiness(bot, u, { company: `PT Ringkas ${i}` });
    const code = await addProduct(bot, u, `Kopi Ringkas ${i}`, { capacity: '10.000' });
    exporters.push({ user: u, code });
    await bot.send(u, `/stok ${code} 2.000`);
  }
  const r = await createCampaign(db(), BigInt(RETNO.id), campaignInput(now, { title: 'Tmall 11.11 Ringkas', maxShortlist: 1 }), new Date(now));
  if (!r.ok) throw new Error(r.error);
  campaign = r.value;
  await db().execute(sql`insert into campaign_team (campaign_id, user_id, added_by) values (${campaign.id}, ${WAYAN.id}, ${RETNO.id})`);
  for (const { user, code } of exporters) {
    await bot.send(user, '/ikut');
    await bot.pressButton(user, new RegExp(code));
    await bot.send(user, '1.500');
    await bot.pressButton(user, /Simpan/);
  }
  await link(RETNO, GA, 'Tim Jakarta');
  await link(WAYAN, GB, 'Tim Bali');
}, 180_000);
afterAll(async () => bot?.stop());

describe('the digest runs at 08:00 in the link’s zone', () => {
  it('keeps each link in its official’s zone and language', async () => {
    const rows = await db().select().from(groupLinks).orderBy(groupLinks.id);
    expect(rows.map((l) => [Number(l.chatId), l.timeZone, l.language])).toEqual([[GA, 'Asia/Jakarta', 'id'], [GB, 'Asia/Makassar', 'en']]);
  });

  it('nothing on the day of linking (made after 08:00); the next morning at 08:00 WITA for one group, 08:00 WIB for the other, once', async () => {
    const jobs = bot.app.jobs!;
    expect(await jobs.tickDigests(at('2026-11-28T09:00:00Z'))).toBe(0);
    expect(await jobs.tickDigests(at('2026-11-28T23:59:00Z'))).toBe(0); // 07.59 WITA
    expect(await jobs.tickDigests(at('2026-11-29T00:00:00Z'))).toBe(1); // 08.00 WITA, 07.00 WIB
    expect(await jobs.tickDigests(at('2026-11-29T00:59:00Z'))).toBe(0); // 07.59 WIB
    expect(await jobs.tickDigests(at('2026-11-29T01:00:00Z'))).toBe(1); // 08.00 WIB
    expect(await jobs.tickDigests(at('2026-11-29T05:00:00Z'))).toBe(0);
    expect((await digestRows()).map((d) => d.dedupeKey.replace(/^digest:\d+:/, '')).sort()).toEqual(['2026-11-29', '2026-11-29']);
    await drained();
    expect(digestsTo(GA)).toHaveLength(1);
    expect(digestsTo(GB)).toHaveLength(1);
  });

  it('before the deadline: the entries, the team’s picks (not yet published), what changed, who has not reported, the days left', async () => {
    const [ga] = digestsTo(GA);
    expect(ga).toMatch(/^📋 Kesiapan harian: Tmall 11\.11 Ringkas · 29 Nov 2026/);
    expect(ga).toMatch(/⏳ 19 hari lagi menuju acara \(18 Des 2026\)/);
    expect(ga).toMatch(/Tahap: 📝 pendaftaran dibuka/);
    expect(ga).toMatch(/Pendaftar: 2 · siap: 2 · dipilih: 0 dari maks\. 1/);
    expect(ga).toMatch(/Pilihan tim \(belum diumumkan\)\nBelum ada produk terpilih\./);
    expect(ga).toMatch(new RegExp(`Sejak kemarin\\n• ${exporters[0]!.code}: mendaftar`));
    expect(ga).toMatch(/Semua sudah melapor dalam 7 hari\./);
    const [gb] = digestsTo(GB);
    expect(gb).toMatch(/^📋 Daily readiness: Tmall 11\.11 Ringkas · 29 Nov 2026/);
    expect(gb).toMatch(/⏳ 19 days to the event \(18 Dec 2026\)/);
    expect(gb).toMatch(/Everyone reported in the last 7 days\./);
    // Quantities and readiness, never contacts.
    expect(bot.api.messagesTo(GA).map((m) => String(m.text)).join('\n')).not.toMatch(/PT Ringkas|0812|\+62/);
  });

  it('once per day per group with two processes ticking at the same moment', async () => {
    const second = await startTestBot({ db: bot.db, api: bot.api, redisPrefix: bot.redisPrefix, env: { SEND_RATE_PER_SEC: '200', REMINDER_TICK_SECONDS: '3600' }, now: () => new Date(now) });
    try {
      const t = at('2026-11-30T01:00:00Z');
      const counts = await Promise.all([bot.app.jobs!.tickDigests(t), second.app.jobs!.tickDigests(t), bot.app.jobs!.tickDigests(t), second.app.jobs!.tickDigests(t)]);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(2);
      const today = await db().select().from(deliveries).where(like(deliveries.dedupeKey, 'digest:%:2026-11-30'));
      expect(today.map((d) => Number(d.chatId)).sort()).toEqual([GA, GB].sort());
      await waitDeliveriesDrained(db());
      expect(digestsTo(GA)).toHaveLength(2);
      expect(digestsTo(GB)).toHaveLength(2);
    } finally {
      await second.stop();
    }
  });

  it('after publication: the published shortlist with stock against commitment and its age, and the day’s changes', async () => {
    at('2026-12-04T02:00:00Z'); // past the registration deadline
    const pick = exporters[0]!;
    const e = await entry(pick.code);
    expect((await decide(db(), BigInt(RETNO.id), e.id, 'shortlist', { now: new Date(now), version: e.version })).ok).toBe(true);
    const published = await publishResults(db(), BigInt(RETNO.id), campaign.id, new Date(now));
    if (!published.ok) throw new Error(published.error);
    await bot.app.jobs!.engine.enqueue(published.value.deliveryIds);
    await bot.send(pick.user, `/stok ${pick.code} 2.100`);
    await drained();
    expect(await bot.app.jobs!.tickDigests(at('2026-12-05T01:00:00Z'))).toBe(2);
    await drained();
    const ga = digestsTo(GA).at(-1)!;
    expect(ga).toMatch(/⏳ 13 hari lagi menuju acara/);
    expect(ga).toMatch(/Tahap: 📢 hasil diumumkan · 📦 konfirmasi stok/);
    expect(ga).not.toMatch(/Pendaftar:/);
    expect(ga).toMatch(new RegExp(`Terpilih \\(sudah diumumkan\\)\\n✅ ${pick.code} · Kopi Ringkas 0: stok 2\\.100 kg / komitmen 1\\.500 kg · 23 jam yang lalu`));
    expect(ga).toMatch(new RegExp(`• ${pick.code}: dipilih`));
    expect(ga).toMatch(new RegExp(`• ${pick.code}: laporan stok 2\\.100 kg`));
    // The entry not selected is no part of the shortlist (its published result is one of the day's changes).
    expect(ga).not.toMatch(new RegExp(`[✅⚠️] ${exporters[1]!.code}`, 'u'));
  });

  it('who has not reported in the freshness window is named; "1 day" / "1 hari" on the eve of the event', async () => {
    // Dec 17: the pick's last report (Dec 4) is older than 7 days.
    expect(await bot.app.jobs!.tickDigests(at('2026-12-17T01:00:00Z'))).toBe(2);
    await drained();
    const ga = digestsTo(GA).at(-1)!;
    expect(ga).toMatch(/⏳ 1 hari lagi menuju acara \(18 Des 2026\)/);
    expect(ga).toMatch(/Tahap: 🛒 menjelang acara/);
    expect(ga).toMatch(new RegExp(`⚠️ ${exporters[0]!.code}`));
    expect(ga).toMatch(new RegExp(`Belum melapor dalam 7 hari: ${exporters[0]!.code}`));
    expect(ga).toMatch(/Sejak kemarin\nTidak ada perubahan\./);
    const gb = digestsTo(GB).at(-1)!;
    expect(gb).toMatch(/⏳ 1 day to the event \(18 Dec 2026\)/);
    expect(gb).toMatch(new RegExp(`No report in the last 7 days: ${exporters[0]!.code}`));
  });

  it('stops after the event', async () => {
    expect(await bot.app.jobs!.tickDigests(at('2026-12-18T01:00:00Z'))).toBe(2); // the event day, before it starts (03:00Z)
    await drained();
    expect(digestsTo(GA).at(-1)).toMatch(/Acara hari ini \(18 Des 2026\)/);
    expect(await bot.app.jobs!.tickDigests(at('2026-12-19T01:00:00Z'))).toBe(0);
    expect(await bot.app.jobs!.tickDigests(at('2026-12-20T01:00:00Z'))).toBe(0);
  });
});
