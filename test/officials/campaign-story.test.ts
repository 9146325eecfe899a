import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { campaigns, deliveries, products, submissions } from '../../src/db/schema/index.js';
import { createCampaign, type Campaign } from '../../src/services/campaigns.js';
import { campaignReport } from '../../src/services/reports.js';
import { decide } from '../../src/services/review.js';
import { addToTeam } from '../../src/services/team.js';
import { textUpdate, type TestUser } from '../support/fake-bot-api.js';
import { makeUser, startTestBot, type TestBot } from '../support/harness.js';
import { addProduct, registerBusiness } from '../support/exporter.js';
import { seedExporters } from '../support/seed.js';
import { readWorkbook } from '../support/xlsx.js';

let bot: TestBot;
let now = new Date('2026-11-28T03:00:00Z').getTime();
const OFFICIAL = { id: 990_600_001, first_name: 'Bu Retno', language_code: 'id' };
const exporters: { user: TestUser; code: string }[] = [];
let campaign: Campaign;

async function drained(): Promise<void> {
  const end = Date.now() + 20_000;
  for (;;) {
    const rows = await bot.app.database.db.select({ id: deliveries.id }).from(deliveries).where(sql`${deliveries.status} in ('queued', 'sending')`);
    if (rows.length === 0) return;
    if (Date.now() > end) throw new Error('deliveries not drained');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function submissionId(code: string): Promise<number> {
  const [p] = await bot.app.database.db.select().from(products).where(eq(products.code, code));
  const [s] = await bot.app.database.db.select().from(submissions).where(and(eq(submissions.productId, p!.id), eq(submissions.campaignId, campaign.id)));
  return s!.id;
}

beforeAll(async () => {
  bot = await startTestBot({ env: { ADMIN_TELEGRAM_IDS: String(OFFICIAL.id), SEND_RATE_PER_SEC: '200', REMINDER_TICK_SECONDS: '3600' }, now: () => new Date(now) });
  await bot.send(OFFICIAL, '/start');
  for (let i = 0; i < 5; i++) {
    const u = makeUser({ first_name: `Eksportir ${i}` });
    await registerBusiness(bot, u, { company: `PT Kopi ${i}` });
    const code = await addProduct(bot, u, `Kopi Nusantara ${i}`, { capacity: '10.000' });
    exporters.push({ user: u, code });
    await bot.send(u, `/stok ${code} ${i === 4 ? '500' : '2.000'}`);
  }
  const r = await createCampaign(
    bot.app.database.db,
    BigInt(OFFICIAL.id),
    {
      title: 'Tmall 11.11 Kopi',
      market: 'Tmall Global',
      description: 'Kopi spesialti',
      targetCategories: ['coffee'],
      registrationDeadline: new Date(now + 5 * 86_400_000),
      stockDeadline: new Date(now + 10 * 86_400_000),
      eventAt: new Date(now + 20 * 86_400_000),
      maxShortlist: 3,
      freshnessDays: 7,
    },
    new Date(now),
  );
  if (!r.ok) throw new Error(r.error);
  campaign = r.value;
}, 120_000);
afterAll(async () => bot?.stop());

describe('the 11.11 story', () => {
  it('exporters submit with a committed quantity; above stock needs a confirmation', async () => {
    for (const [i, { user, code }] of exporters.entries()) {
      await bot.send(user, '/ikut');
      await bot.pressButton(user, new RegExp(code));
      await bot.send(user, i === 4 ? '1.000' : '1.500');
      await bot.pressButton(user, /Simpan/);
      if (i === 4) {
        expect(bot.lastTextTo(user)).toMatch(/melebihi stok terakhir \(500 kg\)/);
        await bot.pressButton(user, /Ya, saya sanggup/);
      }
      expect(bot.lastTextTo(user)).toMatch(new RegExp(`Produk ${code} terdaftar di kampanye Tmall 11\\.11 Kopi dengan komitmen`));
    }
    const rows = await bot.app.database.db.select().from(submissions).where(eq(submissions.campaignId, campaign.id));
    expect(rows).toHaveLength(5);
  });

  it('withdrawing works before the deadline; after it, changes are refused with the date in the user’s zone', async () => {
    const { user, code } = exporters[3]!;
    const id = await submissionId(code);
    await bot.press(user, `sb:w:${id}`);
    // Never one tap: a confirmation naming the entry, with the reasons to pick from.
    expect(bot.lastTextTo(user)).toMatch(new RegExp(`Tarik pendaftaran ${code} dari kampanye Tmall 11\\.11 Kopi\\?`));
    await bot.pressButton(user, /Produksi terganggu/);
    expect(bot.lastTextTo(user)).toMatch(new RegExp(`Pendaftaran ${code} di kampanye Tmall 11\\.11 Kopi ditarik\\. Alasan: Produksi terganggu`));
    await bot.press(user, `cp:j:${campaign.id}`);
    await bot.pressButton(user, new RegExp(code));
    await bot.send(user, '1.500');
    await bot.pressButton(user, /Simpan/);
    expect(bot.lastTextTo(user)).toMatch(/terdaftar/);

    now += 6 * 86_400_000; // past the registration deadline
    await bot.press(user, `sb:w:${id}`);
    expect(String(bot.api.callsTo('answerCallbackQuery').at(-1)?.params.text)).toMatch(/ditutup/);
    await bot.press(user, `cp:j:${campaign.id}`);
    expect(bot.lastTextTo(user)).toMatch(/sudah ditutup pada Kam, 3 Des 2026 10\.00 WIB/);
  });

  it('before publication: /status says under review, /cek says not announced yet', async () => {
    await bot.send(exporters[0]!.user, '/status');
    expect(bot.lastTextTo(exporters[0]!.user)).toMatch(/Tmall 11\.11 Kopi: sedang ditinjau/);
    const stranger = makeUser();
    await bot.send(stranger, `/cek ${exporters[0]!.code}`);
    expect(bot.lastTextTo(stranger)).toMatch(/hasil belum diumumkan/);
  });

  it('the official reviews by readiness, shortlists at most 3, with a second confirmation for a product not ready', async () => {
    await bot.send(OFFICIAL, '/tinjau');
    await bot.pressButton(OFFICIAL, /Tmall 11\.11 Kopi/);
    const list = bot.lastTextTo(OFFICIAL);
    expect(list).toMatch(/Terpilih 0 dari maks\. 3 · 5 pendaftar/);
    // The not-ready one (stock 500 < 1.000 committed) is listed last.
    const order = [...list.matchAll(/(✅|⚠️) (KOPI-\d+)/g)].map((m) => m[2]);
    expect(order.at(-1)).toBe(exporters[4]!.code);

    await bot.press(OFFICIAL, `rv:o:${await submissionId(exporters[0]!.code)}`);
    expect(bot.api.callsTo('sendPhoto').at(-1)?.response.ok).toBe(true);
    expect(bot.lastTextTo(OFFICIAL)).toMatch(/✅ siap/);
    await bot.pressButton(OFFICIAL, /Pilih/);
    expect(bot.lastTextTo(OFFICIAL)).toMatch(/terpilih \(1 dari 3\)/);
    await bot.press(OFFICIAL, `rv:s:${await submissionId(exporters[1]!.code)}`);

    const notReady = await submissionId(exporters[4]!.code);
    await bot.press(OFFICIAL, `rv:s:${notReady}`);
    expect(bot.lastTextTo(OFFICIAL)).toMatch(/belum siap \(stok di bawah komitmen\)\. Tetap pilih\?/);
    await bot.pressButton(OFFICIAL, /Ya, tetap pilih/);
    expect(bot.lastTextTo(OFFICIAL)).toMatch(/terpilih \(3 dari 3\)/);

    await bot.press(OFFICIAL, `rv:s:${await submissionId(exporters[2]!.code)}`);
    expect(String(bot.api.callsTo('answerCallbackQuery').at(-1)?.params.text)).toMatch(/3 dari 3 sudah dipilih: batalkan satu dulu/);

    await bot.press(OFFICIAL, `rv:r:${await submissionId(exporters[2]!.code)}`);
    await bot.pressButton(OFFICIAL, /Sertifikasi belum lengkap/);
    expect(bot.lastTextTo(OFFICIAL)).toMatch(/ditolak: Sertifikasi belum lengkap/);

    const [s4] = await bot.app.database.db.select().from(submissions).where(eq(submissions.id, notReady));
    expect(s4).toMatchObject({ status: 'shortlisted', acceptedNotReady: true, stockAtDecision: 500, decidedBy: BigInt(OFFICIAL.id) });
  });

  it('publishing sends each submitter exactly one result, and a second publish sends nothing', async () => {
    await bot.send(OFFICIAL, '/umumkan');
    await bot.pressButton(OFFICIAL, /Tmall 11\.11 Kopi/);
    expect(bot.lastTextTo(OFFICIAL)).toMatch(/3 terpilih, 2 lainnya/);
    await bot.pressButton(OFFICIAL, /Umumkan/);
    expect(bot.lastTextTo(OFFICIAL)).toMatch(/5 pesan hasil diantrikan/);
    await drained();
    await bot.press(OFFICIAL, `rv:pp:${campaign.id}`);
    expect(String(bot.api.callsTo('answerCallbackQuery').at(-1)?.params.text)).toMatch(/sudah diumumkan/);
    await drained();
    for (const [i, { user }] of exporters.entries()) {
      const results = bot.api.messagesTo(user.id).filter((m) => /Selamat!|Terima kasih telah mengikuti/.test(m.plainText));
      expect(results, `exporter ${i}`).toHaveLength(1);
      if ([0, 1, 4].includes(i)) expect(results[0]!.plainText).toMatch(/terpilih untuk kampanye Tmall 11\.11 Kopi/);
      else expect(results[0]!.plainText).toMatch(/belum terpilih kali ini/);
    }
    expect(bot.api.messagesTo(exporters[2]!.user.id).at(-1)!.plainText).toMatch(/Alasan: Sertifikasi belum lengkap/);
  });

  it('after publication: /status and /cek answer, and /cek shows nothing private, also in a group', async () => {
    await bot.send(exporters[0]!.user, '/status');
    expect(bot.lastTextTo(exporters[0]!.user)).toMatch(/terpilih\n\s+✅ stok terakhir 2\.000 kg mencukupi komitmen 1\.500 kg/);
    await bot.send(exporters[4]!.user, '/status');
    expect(bot.lastTextTo(exporters[4]!.user)).toMatch(/stok terakhir 500 kg di bawah komitmen 1\.000 kg/);

    const stranger = makeUser({ first_name: 'Pembeli' });
    const before = bot.api.calls.length;
    await bot.process(textUpdate(stranger, `/cek ${exporters[0]!.code.toLowerCase()}`, { chatId: -100777, chatType: 'supergroup' }));
    const answer = bot.api.calls.slice(before).find((c) => c.method === 'sendMessage');
    expect(String(answer?.params.text)).toMatch(/Tmall 11\.11 Kopi: <b>terpilih<\/b>/);
    expect(String(answer?.params.text)).not.toMatch(/kg|PT Kopi|\+62|1\.500/);
    await bot.send(stranger, `/cek ${exporters[2]!.code}`);
    expect(bot.lastTextTo(stranger)).toMatch(/tidak terpilih/);
    await bot.send(stranger, '/cek ZZZ-99');
    expect(bot.lastTextTo(stranger)).toMatch(/Tidak ada produk dengan kode ZZZ-99/);
  });

  it('the availability guard alerts the exporter and the officials once per event', async () => {
    const { user, code } = exporters[1]!;
    const alertsTo = (id: number, re: RegExp) => bot.api.messagesTo(id).filter((m) => re.test(m.plainText)).length;
    await bot.send(user, `/stok ${code} 1.200`);
    await drained();
    expect(alertsTo(user.id, new RegExp(`Stok ${code} \\(1\\.200 kg\\) di bawah komitmen Anda`))).toBe(1);
    expect(alertsTo(OFFICIAL.id, new RegExp(`${code} · .*stok 1\\.200 kg di bawah komitmen 1\\.500 kg`))).toBe(1);
    // Running the guard again for the same report sends nothing new.
    await bot.app.jobs!.checkAvailability(new Date(now));
    await drained();
    expect(alertsTo(user.id, /di bawah komitmen Anda/)).toBe(1);

    // The official asks for a confirmation. 1.200 kg does not cover the 1.500 kg committed, so there is no
    // "stock ready" button: the exporter answers with a fresh report, and the official's alert card shows it.
    await bot.press(OFFICIAL, `av:ask:${await submissionId(code)}`);
    await drained();
    expect(bot.lastTextTo(user)).toMatch(/meminta konfirmasi stok[^]*Komitmen Anda: 1\.500 kg · stok terakhir: 1\.200 kg/);
    expect(bot.buttonsOf(user)).toEqual(['📦 Laporkan stok', '❌ Tidak sanggup']);
    await bot.pressButton(user, /Laporkan stok/);
    await bot.pressButton(user, new RegExp(code));
    await bot.send(user, '1.600');
    await bot.pressButton(user, /Simpan/);
    expect(bot.lastTextTo(user)).toMatch(/1\.200 kg → 1\.600 kg/);
    expect(String(bot.api.callsTo('editMessageText').at(-1)?.params.text)).toMatch(/Eksportir melaporkan stok: 1\.600 kg/);

    // Stale: no fresh report within the 7-day window.
    now += 8 * 86_400_000;
    const sent = await bot.app.jobs!.checkAvailability(new Date(now));
    expect(sent).toBeGreaterThan(0);
    await drained();
    expect(alertsTo(exporters[0]!.user.id, /sudah lebih dari 7 hari/)).toBe(1);
    expect(await bot.app.jobs!.checkAvailability(new Date(now))).toBe(0);
  });

  it('sends the officials a readiness summary of the shortlist at the stock-confirmation deadline', async () => {
    // The clock is already past the stock deadline: the due reminders (and the summary) go out now.
    await bot.app.jobs!.tickReminders(new Date(now));
    await drained();
    const summaries = bot.api.messagesTo(OFFICIAL.id).filter((m) => m.plainText.includes('Kesiapan produk terpilih: Tmall 11.11 Kopi'));
    expect(summaries).toHaveLength(1);
    expect(summaries[0]!.plainText).toMatch(new RegExp(`⚠️ ${exporters[4]!.code} .*stok 500 kg / komitmen 1\\.000 kg`));
    expect(summaries[0]!.plainText).toMatch(new RegExp(`✅ ${exporters[0]!.code}`));
    await bot.app.jobs!.tickReminders(new Date(now));
    await drained();
    expect(bot.api.messagesTo(OFFICIAL.id).filter((m) => m.plainText.includes('Kesiapan produk terpilih'))).toHaveLength(1);
  });

  it('exports XLSX and CSV that open in Excel, with numeric cells', async () => {
    await bot.send(OFFICIAL, '/laporan');
    await bot.pressButton(OFFICIAL, /Tmall 11\.11 Kopi/);
    const docs = bot.api.callsTo('sendDocument').slice(-2);
    // Named after the campaign and the day in the official's zone (WIB by default).
    const day = new Date(now + 7 * 3_600_000).toISOString().slice(0, 10);
    expect(docs.map((d) => (d.params.document as { filename: string }).filename)).toEqual([`etalase-${campaign.slug}-${day}.xlsx`, `etalase-${campaign.slug}-${day}.csv`]);
    const r = await campaignReport(bot.app.database.db, BigInt(OFFICIAL.id), campaign.id, {
      now: new Date(now),
      timeZone: 'Asia/Makassar',
      labels: { submissions: 'Pendaftar', shortlist: 'Terpilih', history: 'Riwayat stok', entryHistory: 'Riwayat pendaftaran' },
    });
    if (!r.ok) throw new Error(r.error);
    const wb = await readWorkbook(r.value.xlsx);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Pendaftar', 'Terpilih', 'Riwayat stok', 'Riwayat pendaftaran']);
    const sheet = wb.getWorksheet('Pendaftar')!;
    expect(sheet.rowCount).toBe(6);
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(
      expect.arrayContaining(['Kode', 'Produk', 'Eksportir', 'NIB', 'Provinsi', 'Kategori', 'Kode HS', 'Komitmen', 'Stok terakhir', 'Umur laporan stok (hari)', 'Status', 'Diputuskan oleh', 'Waktu keputusan (WITA)', 'Alasan penarikan', 'Hasil yang diumumkan', 'Nama kontak', 'Telepon', 'Email', 'Username Telegram']),
    );
    // Each entry's story, in the official's words: joined, decided, told.
    const kinds = new Set(wb.getWorksheet('Riwayat pendaftaran')!.getColumn(4).values.slice(2).map(String));
    expect([...kinds]).toEqual(expect.arrayContaining(['mendaftar', 'ditarik', 'dipilih', 'ditolak', 'hasil diumumkan']));
    const publishedCol = header.indexOf('Hasil yang diumumkan') + 1;
    expect(sheet.getColumn(publishedCol).values.slice(2)).toEqual(expect.arrayContaining(['terpilih', 'tidak terpilih']));
    expect(sheet.getColumn(header.indexOf('Kategori') + 1).values.slice(2)).toContain('Kopi');
    const committedCol = header.indexOf('Komitmen') + 1;
    expect(typeof sheet.getRow(2).getCell(committedCol).value).toBe('number');
    expect(wb.getWorksheet('Terpilih')!.rowCount).toBe(4);
    expect(r.value.csv.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = r.value.csv.toString('utf8').slice(1).trim().split(/\r\n/);
    expect(lines).toHaveLength(6);
    expect(lines[0]!.split(';')).toContain('Stok terakhir');
  });
});

describe('two officials deciding at the same moment', () => {
  it('never exceed the maximum', async () => {
    const db = bot.app.database.db;
    const ids = await seedExporters(db, 6, { base: 700_700_000 });
    const r = await createCampaign(
      db,
      BigInt(OFFICIAL.id),
      { title: 'Balapan', market: 'Pasar', description: 'x', targetCategories: [], registrationDeadline: new Date(now + 86_400_000), stockDeadline: new Date(now + 2 * 86_400_000), eventAt: new Date(now + 3 * 86_400_000), maxShortlist: 3, freshnessDays: 7 },
      new Date(now),
    );
    if (!r.ok) throw new Error(r.error);
    const subs: number[] = [];
    for (const id of ids) {
      const [p] = await db.select().from(products).where(eq(products.code, `SEED-${id}`));
      const [s] = await db.insert(submissions).values({ campaignId: r.value.id, productId: p!.id, committedQuantity: 10 }).returning();
      subs.push(s!.id);
    }
    await decide(db, BigInt(OFFICIAL.id), subs[0]!, 'shortlist', { now: new Date(now), confirmNotReady: true });
    await decide(db, BigInt(OFFICIAL.id), subs[1]!, 'shortlist', { now: new Date(now), confirmNotReady: true });
    const second = 990_600_002;
    await db.execute(sql`insert into users (id, chat_id, display_name, role) values (${second}, ${second}, 'Pak Joko', 'official')`);
    // Only the campaign's team decides: the creator adds the second official.
    expect((await addToTeam(db, BigInt(OFFICIAL.id), r.value.id, BigInt(second))).ok).toBe(true);
    const results = await Promise.all([
      decide(db, BigInt(OFFICIAL.id), subs[2]!, 'shortlist', { now: new Date(now), confirmNotReady: true }),
      decide(db, BigInt(second), subs[3]!, 'shortlist', { now: new Date(now), confirmNotReady: true }),
      decide(db, BigInt(second), subs[4]!, 'shortlist', { now: new Date(now), confirmNotReady: true }),
    ]);
    expect(results.filter((x) => x.ok)).toHaveLength(1);
    const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(submissions).where(and(eq(submissions.campaignId, r.value.id), eq(submissions.status, 'shortlisted')));
    expect(Number(count?.n)).toBe(3);
    const [c] = await db.select().from(campaigns).where(eq(campaigns.id, r.value.id));
    expect(c?.maxShortlist).toBe(3);
  });
});
