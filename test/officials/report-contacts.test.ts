import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { auditLog, products } from '../../src/db/schema/index.js';
import { createCampaign, type Campaign } from '../../src/services/campaigns.js';
import { campaignReport, type ReportLabels } from '../../src/services/reports.js';
import { decide } from '../../src/services/review.js';
import { submitProduct, withdrawSubmission } from '../../src/services/submissions.js';
import { addToTeam } from '../../src/services/team.js';
import type { TestUser } from '../support/fake-bot-api.js';
import { campaignInput } from '../support/campaign.js';
import { makeUser, startTestBot, type TestBot } from '../support/harness.js';
import { addProduct, registerBusiness } from '../support/exporter.js';
import { readWorkbook } from '../support/xlsx.js';
import { reasonAsTyped } from '../../src/domain/reasons.js';

let bot: TestBot;
const now = new Date('2026-11-28T03:00:00Z');
const CREATOR = 990_700_001n;
const COLLEAGUE_EN = 990_700_002n;
const OUTSIDER = 990_700_003n;
const LABELS: ReportLabels = { submissions: 'Pendaftar', shortlist: 'Terpilih', history: 'Riwayat stok', entryHistory: 'Riwayat pendaftaran' };
let campaign: Campaign;
const entries: { user: TestUser; code: string; submissionId: number }[] = [];

beforeAll(async () => {
  bot = await startTestBot({ now: () => now });
  const db = bot.app.database.db;
  await db.execute(sql`insert into users (id, chat_id, display_name, role, language) values
    (${CREATOR}, ${CREATOR}, 'Bu Retno', 'official', 'id'),
    (${COLLEAGUE_EN}, ${COLLEAGUE_EN}, 'Mr Tan', 'official', 'en'),
    (${OUTSIDER}, ${OUTSIDER}, 'Pak Luar', 'official', 'id')`);
  const exporters = [
    { user: makeUser({ first_name: 'Wati', username: 'wati_kopi' }), email: 'wati@kopi.co.id', contact: 'Bu Wati & <Humas>' },
    { user: makeUser({ first_name: 'Made' }) },
    { user: makeUser({ first_name: 'Sari' }) },
  ];
  for (const [i, e] of exporters.entries()) {
    await registerBusiness(bot, e.user, { company: `PT Kontak ${i}`, ...(e.email ? { email: e.email } : {}), ...(e.contact ? { contact: e.contact } : {}) });
    const code = await addProduct(bot, e.user, `Kopi Kontak ${i}`);
    entries.push({ user: e.user, code, submissionId: 0 });
  }
  const c = await createCampaign(
    db,
    CREATOR,
    campaignInput(now.getTime(), { title: 'Kontak Kopi', description: 'Kopi' }),
    now,
  );
  if (!c.ok) throw new Error(c.error);
  campaign = c.value;
  for (const e of entries) {
    const [p] = await db.select().from(products).where(eq(products.code, e.code));
    const r = await submitProduct(db, BigInt(e.user.id), { campaignId: campaign.id, productId: p!.id, committed: 1500 }, { force: true, now });
    if (!r.ok) throw new Error(r.error);
    e.submissionId = r.value.submission.id;
  }
  const picked = await decide(db, CREATOR, entries[0]!.submissionId, 'shortlist', { now, confirmNotReady: true });
  const rejected = await decide(db, CREATOR, entries[1]!.submissionId, 'reject', { now, reason: { key: 'reject_certification', text: 'Sertifikasi belum lengkap' } });
  const withdrawn = await withdrawSubmission(db, BigInt(entries[2]!.user.id), entries[2]!.submissionId, reasonAsTyped('Stok habis'), now);
  if (!picked.ok || !rejected.ok || !withdrawn.ok) throw new Error('setup decisions failed');
}, 120_000);
afterAll(async () => bot?.stop());

const workbook = readWorkbook;

/** A sheet's rows as objects keyed by the header row. */
function records(ws: ExcelJS.Worksheet): Record<string, unknown>[] {
  const header = (ws.getRow(1).values as unknown[]).slice(1).map(String);
  const out: Record<string, unknown>[] = [];
  for (let n = 2; n <= ws.rowCount; n++) {
    const row = ws.getRow(n);
    out.push(Object.fromEntries(header.map((h, i) => [h, row.getCell(i + 1).value])));
  }
  return out;
}

describe('the campaign report for its team', () => {
  it('lists each exporter’s contact: the contact person or the Telegram name standing in, phone, e-mail, username', async () => {
    const r = await campaignReport(bot.app.database.db, CREATOR, campaign.id, { now, timeZone: 'Asia/Jakarta', labels: LABELS });
    if (!r.ok) throw new Error(r.error);
    const wb = await workbook(r.value.xlsx);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Pendaftar', 'Terpilih', 'Riwayat stok', 'Riwayat pendaftaran']);
    const rows = records(wb.getWorksheet('Pendaftar')!);
    const byCode = new Map(rows.map((x) => [x.Kode, x]));
    expect(byCode.get(entries[0]!.code)).toMatchObject({
      'Nama kontak': 'Bu Wati & <Humas>',
      Telepon: "'+6281234567890", // defused like all text starting with +, so Excel keeps it as text
      Email: 'wati@kopi.co.id',
      'Username Telegram': 'wati_kopi',
      Status: 'terpilih',
    });
    expect(byCode.get(entries[1]!.code)).toMatchObject({ 'Nama kontak': 'Made (nama Telegram)', Email: null, 'Username Telegram': null, Status: 'ditolak', 'Alasan penolakan': 'Sertifikasi belum lengkap' });
    expect(byCode.get(entries[2]!.code)).toMatchObject({ 'Nama kontak': 'Sari (nama Telegram)', Status: 'ditarik', 'Alasan penarikan': 'Stok habis' });

    // The Indonesian CSV: `;`-separated, what Excel with Indonesian regional settings splits on.
    const csv = parse<Record<string, string>>(r.value.csv.subarray(3), { delimiter: ';', columns: true });
    for (const h of ['Alasan penarikan', 'Hasil yang diumumkan', 'Nama kontak', 'Telepon', 'Email', 'Username Telegram']) expect(Object.keys(csv[0]!)).toContain(h);
    const wati = csv.find((l) => l.Kode === entries[0]!.code)!;
    expect(wati.Email).toBe('wati@kopi.co.id');
    expect(wati['Username Telegram']).toBe('wati_kopi');
    // Nothing published yet: the result column is empty.
    expect(wati['Hasil yang diumumkan']).toBe('');
  });

  it('has a sheet with each entry’s history, its kinds in the official’s language', async () => {
    const r = await campaignReport(bot.app.database.db, CREATOR, campaign.id, { now, timeZone: 'Asia/Jakarta', labels: LABELS });
    if (!r.ok) throw new Error(r.error);
    const history = records((await workbook(r.value.xlsx)).getWorksheet('Riwayat pendaftaran')!);
    const of = (code: string) => history.filter((h) => h.Kode === code);
    expect(of(entries[0]!.code).map((h) => h.Kejadian)).toEqual(['mendaftar', 'dipilih']);
    expect(of(entries[0]!.code)[0]).toMatchObject({ Produk: 'Kopi Kontak 0', Oleh: 'Wati', Rincian: 'komitmen 1.500 kg' });
    expect(of(entries[0]!.code)[1]).toMatchObject({ Oleh: 'Bu Retno' });
    // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- vitest types asymmetric matchers (expect.any, expect.stringContaining) as any
    expect(of(entries[1]!.code).at(-1)).toMatchObject({ Kejadian: 'ditolak', Oleh: 'Bu Retno', Rincian: expect.stringContaining('alasan: Sertifikasi belum lengkap') });
    // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- vitest types asymmetric matchers (expect.any, expect.stringContaining) as any
    expect(of(entries[2]!.code).at(-1)).toMatchObject({ Kejadian: 'ditarik', Rincian: expect.stringContaining('alasan: Stok habis') });
    expect(history[0]!['Waktu (WIB)']).toBeInstanceOf(Date);

    // A colleague who reads English gets English words in the same sheet.
    const added = await addToTeam(bot.app.database.db, CREATOR, campaign.id, COLLEAGUE_EN);
    expect(added.ok).toBe(true);
    const en = await campaignReport(bot.app.database.db, COLLEAGUE_EN, campaign.id, { now, timeZone: 'Asia/Jakarta', labels: LABELS });
    if (!en.ok) throw new Error(en.error);
    const wb = await workbook(en.value.xlsx);
    const kinds = records(wb.getWorksheet('Riwayat pendaftaran')!).map((h) => h.Event);
    expect(kinds).toEqual(expect.arrayContaining(['joined', 'shortlisted', 'rejected', 'withdrawn']));
    expect(records(wb.getWorksheet('Pendaftar')!).map((x) => x['Contact name'])).toContain('Made (Telegram name)');
  });

  it('records every export with its contacts in the audit log', async () => {
    const before = await bot.app.database.db.select().from(auditLog).where(and(eq(auditLog.actorId, CREATOR), eq(auditLog.action, 'report.export')));
    const r = await campaignReport(bot.app.database.db, CREATOR, campaign.id, { now, timeZone: 'Asia/Jakarta', labels: LABELS });
    expect(r.ok).toBe(true);
    const after = await bot.app.database.db.select().from(auditLog).where(and(eq(auditLog.actorId, CREATOR), eq(auditLog.action, 'report.export')));
    expect(after).toHaveLength(before.length + 1);
    expect(after.at(-1)).toMatchObject({ target: `campaign:${campaign.id}`, outcome: 'ok', details: { contacts: true, rows: 3 } });
  });

  it('refuses an official outside the campaign’s team, and audits the refusal', async () => {
    const r = await campaignReport(bot.app.database.db, OUTSIDER, campaign.id, { now, timeZone: 'Asia/Jakarta', labels: LABELS });
    expect(r).toMatchObject({ ok: false, error: 'forbidden' });
    const rows = await bot.app.database.db.select().from(auditLog).where(and(eq(auditLog.actorId, OUTSIDER), eq(auditLog.action, 'report.export')));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ target: `campaign:${campaign.id}`, outcome: 'refused', details: { reason: 'not_in_team' } });
    // An exporter is refused as well.
    const exporter = await campaignReport(bot.app.database.db, BigInt(entries[0]!.user.id), campaign.id, { now, timeZone: 'Asia/Jakarta', labels: LABELS });
    expect(exporter).toMatchObject({ ok: false, error: 'forbidden' });
  });
});
