import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { businesses, users } from '../../src/db/schema/index.js';
import { contactUpdate } from '../support/fake-bot-api.js';
import { makeUser, startTestBot, type TestBot } from '../support/harness.js';

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot();
});
afterAll(async () => bot?.stop());

const last = (u: Parameters<TestBot['lastTextTo']>[0]) => bot.lastTextTo(u);

describe('business registration (Indonesian)', () => {
  it('walks a user from /start to a saved profile, re-asking on every wrong answer', async () => {
    const u = makeUser({ first_name: 'Wati' });
    await bot.send(u, '/start');
    await bot.pressButton(u, /Daftarkan usaha/);
    expect(last(u)).toMatch(/langkah 1 dari 7/);

    await bot.send(u, 'A');
    expect(last(u)).toMatch(/Nama usaha harus 2 sampai 120 huruf/);
    expect(last(u)).toMatch(/langkah 1 dari 7/);
    await bot.send(u, 'PT Kopi <Nusantara> & "Co"');
    expect(last(u)).toMatch(/langkah 2 dari 7/);

    await bot.send(u, '912000123456');
    expect(last(u)).toMatch(/tepat 13 digit/);
    await bot.send(u, '91200012345678');
    expect(last(u)).toMatch(/tepat 13 digit/);
    await bot.send(u, 'NIB saya ABC');
    expect(last(u)).toMatch(/hanya berisi angka/);
    await bot.send(u, '9120 0012 34567');
    expect(last(u)).toMatch(/langkah 3 dari 7/);
    expect(bot.buttonsOf(u)).toContain('Aceh');

    await bot.send(u, 'Atlantis');
    expect(last(u)).toMatch(/Provinsi itu tidak saya kenali/);
    await bot.pressButton(u, /▶️/);
    expect(bot.buttonsOf(u)).not.toContain('Aceh');
    await bot.send(u, 'jatim');
    expect(last(u)).toMatch(/langkah 4 dari 7/);

    await bot.send(u, 'X');
    expect(last(u)).toMatch(/2 sampai 80 huruf/);
    await bot.send(u, 'Malang');
    expect(last(u)).toMatch(/langkah 5 dari 7/);
    const phonePrompt = bot.api.messagesTo(u.id).at(-1)!;
    expect(JSON.stringify(phonePrompt.replyMarkup)).toContain('request_contact');

    // Someone else's contact card is refused; the step stays.
    await bot.process(contactUpdate(u, { phone_number: '6281111111111', user_id: u.id + 1 }));
    expect(last(u)).toMatch(/Kontak itu bukan milik Anda/);
    expect(last(u)).toMatch(/langkah 5 dari 7/);

    // One step back shows the earlier answer.
    await bot.send(u, '⬅️ Kembali');
    expect(last(u)).toMatch(/langkah 4 dari 7/);
    expect(last(u)).toMatch(/Jawaban sebelumnya: Malang/);
    await bot.send(u, 'Kota Malang');

    await bot.send(u, '0812-3456-7890');
    expect(bot.textsTo(u).at(-2)).toBe('✅ +6281234567890');
    expect(last(u)).toMatch(/langkah 6 dari 7/);

    await bot.send(u, 'bukan email');
    expect(last(u)).toMatch(/Alamat email itu tidak valid/);
    await bot.pressButton(u, /Lewati/);

    // The contact person officials ask for: optional, 2–80 characters.
    expect(last(u)).toMatch(/langkah 7 dari 7/);
    expect(last(u)).toMatch(/Siapa nama kontak yang bisa dihubungi petugas\?/);
    await bot.send(u, 'W');
    expect(last(u)).toMatch(/Nama kontak harus 2 sampai 80 huruf/);
    await bot.send(u, 'x'.repeat(81));
    expect(last(u)).toMatch(/Nama kontak harus 2 sampai 80 huruf/);
    await bot.send(u, '  Bu   Wati <Humas>  ');

    expect(last(u)).toMatch(/Ringkasan: Pendaftaran usaha/);
    expect(last(u)).toContain('Nama kontak: Bu Wati <Humas>');
    expect(last(u)).not.toMatch(/nama Telegram Anda/);
    expect(last(u)).toContain('Nama usaha: PT Kopi <Nusantara> & "Co"');
    expect(last(u)).toContain('Provinsi: Jawa Timur (WIB)');
    expect(last(u)).toContain('Telepon: +6281234567890');

    // Edit one field from the summary card.
    await bot.pressButton(u, /✏️ Kota/);
    expect(last(u)).toMatch(/Jawaban sebelumnya: Kota Malang/);
    await bot.send(u, 'Batu');
    expect(last(u)).toMatch(/Ringkasan/);
    expect(last(u)).toContain('Kota/kabupaten: Batu');

    await bot.pressButton(u, /Simpan/);
    expect(last(u)).toMatch(/Profil usaha PT Kopi <Nusantara> & "Co" tersimpan/);
    expect(last(u)).toMatch(/WIB/);

    const [b] = await bot.app.database.db.select().from(businesses).where(eq(businesses.ownerId, BigInt(u.id)));
    expect(b).toMatchObject({ companyName: 'PT Kopi <Nusantara> & "Co"', nib: '9120001234567', province: 'Jawa Timur', city: 'Batu', phone: '+6281234567890', email: null, contactName: 'Bu Wati <Humas>' });
    // Nothing the bot sent was refused by the (fake) Bot API: all HTML was escaped properly.
    expect(bot.api.calls.filter((c) => !c.response.ok)).toEqual([]);
  });

  it('accepts the sender’s own contact, and the province sets the time zone (WITA)', async () => {
    const u = makeUser({ first_name: 'Made' });
    await bot.send(u, '/daftar');
    await bot.send(u, 'CV Kopi Kintamani');
    await bot.send(u, '9120001234568');
    await bot.send(u, 'Bali');
    await bot.send(u, 'Bangli');
    await bot.process(contactUpdate(u, { phone_number: '6281234500000', user_id: u.id }));
    expect(bot.textsTo(u).at(-2)).toBe('✅ +6281234500000');
    await bot.send(u, 'Made@Kintamani.CO.ID');
    // Skipped: the card says the Telegram name stands in, and nothing is saved as the contact.
    await bot.send(u, 'lewati');
    expect(last(u)).toContain('Nama kontak: —');
    expect(last(u)).toContain('Tanpa nama kontak, petugas melihat nama Telegram Anda: Made.');
    await bot.pressButton(u, /Simpan/);
    expect(last(u)).toMatch(/WITA/);
    const [row] = await bot.app.database.db.select().from(users).where(eq(users.id, BigInt(u.id)));
    expect(row?.timeZone).toBe('Asia/Makassar');
    const [b] = await bot.app.database.db.select().from(businesses).where(eq(businesses.ownerId, BigInt(u.id)));
    expect(b?.email).toBe('Made@kintamani.co.id');
    expect(b?.contactName).toBeNull();
  });

  it('refuses an NIB already registered by someone else and keeps the summary to fix it', async () => {
    const u = makeUser();
    await bot.send(u, '/daftar');
    for (const answer of ['UD Lain', '9120001234567', 'Aceh', 'Banda Aceh', '081234567891']) await bot.send(u, answer);
    await bot.pressButton(u, /Lewati/);
    await bot.pressButton(u, /Lewati/);
    await bot.pressButton(u, /Simpan/);
    expect(bot.textsTo(u).at(-2)).toMatch(/NIB itu sudah didaftarkan/);
    expect(last(u)).toMatch(/Ringkasan/);
    await bot.pressButton(u, /✏️ NIB/);
    await bot.send(u, '9120001234999');
    await bot.pressButton(u, /Simpan/);
    expect(last(u)).toMatch(/tersimpan/);
  });

  it('opens the saved profile for changes with /profil', async () => {
    const u = makeUser();
    await bot.send(u, '/profil');
    expect(last(u)).toMatch(/belum mendaftarkan usaha/);
    await bot.send(u, '/daftar');
    for (const answer of ['Koperasi Teh', '9120001230001', 'jabar', 'Bandung', '+62 812 3456 0001']) await bot.send(u, answer);
    await bot.pressButton(u, /Lewati/);
    await bot.pressButton(u, /Lewati/);
    await bot.pressButton(u, /Simpan/);
    await bot.send(u, '/profil');
    expect(last(u)).toMatch(/Ringkasan/);
    expect(last(u)).toContain('Provinsi: Jawa Barat (WIB)');
    await bot.pressButton(u, /✏️ Provinsi/);
    await bot.send(u, 'papua');
    await bot.pressButton(u, /Simpan/);
    const [row] = await bot.app.database.db.select().from(users).where(eq(users.id, BigInt(u.id)));
    expect(row?.timeZone).toBe('Asia/Jayapura');

    // The contact person is one more field of the profile.
    await bot.send(u, '/profil');
    expect(last(u)).toContain('Nama kontak: —');
    await bot.pressButton(u, /✏️ Nama kontak/);
    await bot.send(u, 'Pak Budi');
    expect(last(u)).toContain('Nama kontak: Pak Budi');
    await bot.pressButton(u, /Simpan/);
    const [b] = await bot.app.database.db.select().from(businesses).where(eq(businesses.ownerId, BigInt(u.id)));
    expect(b).toMatchObject({ contactName: 'Pak Budi', province: 'Papua' });
    await bot.send(u, '/profil');
    expect(last(u)).toContain('Nama kontak: Pak Budi');
  });

  it('saves a draft from before the contact question (an older session) without a contact', async () => {
    const u = makeUser({ first_name: 'Lama' });
    await bot.send(u, '/daftar');
    for (const answer of ['CV Sesi Lama', '9120001230777', 'Bali', 'Gianyar', '081234560777']) await bot.send(u, answer);
    // The session as an older release left it: at the email step, no `contact` in the draft.
    const key = `${bot.config.REDIS_PREFIX}session:${u.id}:${u.id}`;
    const session = (await bot.app.sessionStorage.read(key)) as { flow: { step: string; draft: Record<string, unknown> } };
    expect(session.flow.step).toBe('email');
    expect('contact' in session.flow.draft).toBe(false);
    await bot.pressButton(u, /Lewati/);
    // Its buttons still work, and the new question comes after the old ones.
    expect(last(u)).toMatch(/Siapa nama kontak/);
    await bot.pressButton(u, /Lewati/);
    // At the card, drop the key again, as a session saved at the card before this release would be.
    const atCard = (await bot.app.sessionStorage.read(key)) as { flow: { step: string; draft: Record<string, unknown> } };
    delete atCard.flow.draft.contact;
    await bot.app.sessionStorage.write(key, atCard);
    await bot.pressButton(u, /Simpan/);
    expect(last(u)).toMatch(/Profil usaha CV Sesi Lama tersimpan/);
    const [b] = await bot.app.database.db.select().from(businesses).where(eq(businesses.ownerId, BigInt(u.id)));
    expect(b?.contactName).toBeNull();
  });
});

describe('/zona', () => {
  it('changes the zone, and the province no longer overrides the choice', async () => {
    const u = makeUser();
    await bot.send(u, '/daftar');
    for (const a of ['CV Zona', '9120001239991', 'Bali', 'Denpasar', '081234569991']) await bot.send(u, a);
    await bot.pressButton(u, /Lewati/);
    await bot.pressButton(u, /Lewati/);
    await bot.pressButton(u, /Simpan/);
    await bot.send(u, '/zona');
    expect(last(u)).toMatch(/Zona waktu Anda sekarang: WITA/);
    await bot.pressButton(u, /^WIT$/);
    expect(last(u)).toMatch(/Zona waktu diubah ke WIT/);
    await bot.send(u, '/profil');
    await bot.pressButton(u, /✏️ Provinsi/);
    await bot.send(u, 'jatim');
    await bot.pressButton(u, /Simpan/);
    const [row] = await bot.app.database.db.select().from(users).where(eq(users.id, BigInt(u.id)));
    expect(row?.timeZone).toBe('Asia/Jayapura');
  });
});

describe('leaving and resuming a flow', () => {
  it('/batal mid-flow saves nothing, and another command leaves the flow too', async () => {
    const u = makeUser();
    await bot.send(u, '/daftar');
    await bot.send(u, 'PT Setengah Jalan');
    await bot.send(u, '/batal');
    expect(last(u)).toMatch(/Dibatalkan. Tidak ada yang disimpan/);
    await bot.send(u, '9120001234500');
    expect(last(u)).toMatch(/belum mengerti/);
    await bot.send(u, '/daftar');
    await bot.send(u, 'PT Dua');
    await bot.send(u, '/bantuan');
    expect(bot.textsTo(u).at(-2)).toMatch(/dihentikan. Tidak ada yang disimpan/);
    expect(last(u)).toMatch(/Perintah Etalase/);
    const rows = await bot.app.database.db.select().from(businesses).where(eq(businesses.ownerId, BigInt(u.id)));
    expect(rows).toHaveLength(0);
  });

  it('goes back with the inline ⬅️ button, and says so at the first step', async () => {
    const u = makeUser({ language_code: 'en' });
    await bot.send(u, '/register');
    await bot.send(u, '⬅️');
    expect(bot.textsTo(u).at(-2)).toMatch(/This is the first step/);
    await bot.send(u, 'PT Back And Forth');
    await bot.pressButton(u, /⬅️ Back/);
    expect(last(u)).toMatch(/step 1 of 7/);
    expect(last(u)).toMatch(/Previous answer: PT Back And Forth/);
  });

  it('ignores a button from an older run of the flow', async () => {
    const u = makeUser();
    await bot.send(u, '/daftar');
    await bot.send(u, 'PT Lama');
    await bot.send(u, '9120001234501');
    const oldButtons = bot.api.messagesTo(u.id).at(-1)!;
    await bot.send(u, '/batal');
    await bot.send(u, '/daftar');
    const data = (oldButtons.replyMarkup as { inline_keyboard: { callback_data: string }[][] }).inline_keyboard[0]![0]!.callback_data;
    await bot.press(u, data, oldButtons.messageId);
    const answer = bot.api.callsTo('answerCallbackQuery').at(-1);
    expect(answer?.params).toMatchObject({ show_alert: true });
    expect(String(answer?.params.text)).toMatch(/tidak berlaku/);
    expect(last(u)).toMatch(/langkah 1 dari 7/);
  });
});
