import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { products } from '../../src/db/schema/index.js';
import { photoUpdate } from '../support/fake-bot-api.js';
import { makeUser, startTestBot, type TestBot } from '../support/harness.js';
import { addProduct, registerBusiness } from '../support/exporter.js';

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ env: { MAX_PRODUCTS_PER_EXPORTER: '4' } });
});
afterAll(async () => bot?.stop());

const last = (u: Parameters<TestBot['lastTextTo']>[0]) => bot.lastTextTo(u);

describe('a quantity the database would round (issue 16 item 8)', () => {
  it('is refused at the capacity and minimum-order steps, naming the smallest value kept', async () => {
    const u = makeUser();
    await registerBusiness(bot, u);
    await bot.send(u, '/produk_baru');
    await bot.send(u, 'Kopi Teliti');
    await bot.pressButton(u, /Kopi/);
    await bot.send(u, '-');
    await bot.send(u, 'kg');
    await bot.send(u, '0,0004');
    expect(last(u)).toMatch(/paling kecil 0,001 kg \(1 gram\)/);
    await bot.send(u, '1.500');
    await bot.send(u, '1,0005');
    expect(last(u)).toMatch(/paling kecil 0,001 kg/);
    await bot.send(u, '1,005');
    expect(last(u)).not.toMatch(/terlalu teliti/);
  });
});

describe('a new product, step by step (English)', () => {
  it('re-asks on every wrong answer, goes back once, edits from the card, and saves with a code', async () => {
    const u = makeUser({ language_code: 'en' });
    await bot.send(u, '/newproduct');
    expect(last(u)).toMatch(/register your business first/i);
    await registerBusiness(bot, u);

    await bot.send(u, '/newproduct');
    expect(last(u)).toMatch(/step 1 of 10/);
    await bot.send(u, 'K');
    expect(last(u)).toMatch(/2 to 100 characters/);
    await bot.send(u, 'Kopi Arabika Gayo');

    await bot.send(u, 'car parts');
    expect(last(u)).toMatch(/category doesn't exist/);
    await bot.pressButton(u, /Coffee/);

    await bot.send(u, '12345');
    expect(last(u)).toMatch(/6, 8 or 10 digits/);
    await bot.send(u, '0901.11');

    await bot.send(u, 'bags');
    expect(last(u)).toMatch(/unit isn't available/);
    await bot.send(u, 'kilo');

    await bot.send(u, '-5');
    expect(last(u)).toMatch(/above zero/);
    await bot.send(u, '2.5 ton');
    expect(last(u)).toMatch(/step 6 of 10/);

    // Back one step: the capacity answer is shown, then answered again.
    await bot.send(u, '⬅️ Back');
    expect(last(u)).toMatch(/Previous answer: 2,500 kg/);
    await bot.send(u, '1,500');

    await bot.send(u, 'a lot');
    expect(last(u)).toMatch(/minimum order must be a number above zero/);
    await bot.send(u, '100');
    await bot.send(u, 'EUR 5');
    expect(last(u)).toMatch(/can't read that price/);
    await bot.send(u, 'USD 6.5');

    await bot.send(u, 'gold medal');
    expect(last(u)).toMatch(/Pick certifications with the buttons/);
    await bot.pressButton(u, /Halal/);
    await bot.pressButton(u, /BPOM/);
    expect(bot.buttonsOf(u).filter((b) => b.startsWith('✅'))).toEqual(['✅ Halal', '✅ BPOM']);
    await bot.pressButton(u, /BPOM/);
    await bot.pressButton(u, /Organic/);
    await bot.pressButton(u, /Done/);

    await bot.send(u, 'here is a photo');
    expect(last(u)).toMatch(/send a product photo or press «Skip»/);
    await bot.process(photoUpdate(u));

    await bot.send(u, 'x'.repeat(501));
    expect(last(u)).toMatch(/1 to 500 characters/);
    await bot.send(u, 'Single-origin Gayo arabica, washed.');

    const summary = last(u);
    expect(summary).toMatch(/Summary: New product/);
    expect(summary).toContain('HS code: 090111');
    expect(summary).toContain('Capacity/month: 1,500 kg');
    expect(summary).toContain('Minimum order: 100 kg');
    expect(summary).toContain('Price: USD 6.5 / kg');
    expect(summary).toContain('Certifications: Halal, Organic');

    await bot.pressButton(u, /✏️ Name/);
    await bot.send(u, 'Kopi Arabika Gayo Premium');
    expect(last(u)).toContain('Name: Kopi Arabika Gayo Premium');
    await bot.pressButton(u, /Save/);

    const raw = bot.api.messagesTo(u.id).at(-1)!.text ?? '';
    expect(raw).toMatch(/code <b>KOPI-\d{2}<\/b>/);
    const code = /KOPI-\d{2}/.exec(raw)![0];
    const [row] = await bot.app.database.db.select().from(products).where(eq(products.code, code));
    expect(row).toMatchObject({
      name: 'Kopi Arabika Gayo Premium',
      category: 'coffee',
      hsCode: '090111',
      baseUnit: 'kg',
      monthlyCapacity: 1500,
      minOrder: 100,
      price: 6.5,
      currency: 'USD',
      certifications: ['halal', 'organic'],
      description: 'Single-origin Gayo arabica, washed.',
    });
    expect(row?.photoFileId).toMatch(/.+/);
  });
});

describe('catalogue', () => {
  it('lists products with their codes, opens a card, edits, archives and restores', async () => {
    const u = makeUser();
    await registerBusiness(bot, u);
    const c1 = await addProduct(bot, u, 'Teh Hijau Jawa');
    const c2 = await addProduct(bot, u, 'Kakao Fermentasi');
    await bot.send(u, '/produk');
    expect(last(u)).toMatch(/Produk Anda \(2 aktif\)/);
    expect(bot.buttonsOf(u)).toEqual(expect.arrayContaining([`${c1} · Teh Hijau Jawa`, `${c2} · Kakao Fermentasi`]));

    await bot.pressButton(u, new RegExp(c1));
    expect(last(u)).toContain(`${c1} · Teh Hijau Jawa`);
    expect(last(u)).toContain('Kapasitas/bulan: 1.000 kg');

    await bot.pressButton(u, /Ubah/);
    expect(last(u)).toMatch(/Ringkasan/);
    await bot.pressButton(u, /✏️ Kapasitas/);
    await bot.send(u, '2,5 ton');
    await bot.pressButton(u, /Simpan/);
    expect(last(u)).toMatch(new RegExp(`Perubahan produk ${c1}`));
    const [row] = await bot.app.database.db.select().from(products).where(eq(products.code, c1));
    expect(row?.monthlyCapacity).toBe(2500);
    expect(row?.code).toBe(c1);

    await bot.send(u, '/produk');
    await bot.pressButton(u, new RegExp(c1));
    await bot.pressButton(u, /Arsipkan/);
    expect(bot.textsTo(u).at(-2)).toMatch(/diarsipkan. Riwayat stok/);
    await bot.send(u, '/produk');
    expect(last(u)).toMatch(/1 aktif/);
    await bot.pressButton(u, /Lihat arsip/);
    expect(bot.buttonsOf(u)).toContain(`${c1} · Teh Hijau Jawa`);
    await bot.pressButton(u, new RegExp(c1));
    await bot.pressButton(u, /Pulihkan/);
    expect(bot.textsTo(u).at(-2)).toMatch(/aktif kembali/);
  });

  it('pages a long list, 8 per page', async () => {
    const u = makeUser();
    await registerBusiness(bot, u);
    const { createProduct } = await import('../../src/services/products.js');
    for (let i = 0; i < 11; i++) {
      const r = await createProduct(bot.app.database.db, BigInt(u.id), {
        name: `Rempah ${i}`, category: 'spices', hsCode: null, baseUnit: 'kg', monthlyCapacity: 10, minOrder: null, price: null, currency: null, certifications: [], photoFileId: null, description: 'x',
      }, { maxActive: 50, allowDuplicateName: false });
      expect(r.ok).toBe(true);
    }
    await bot.send(u, '/produk');
    const page1 = bot.buttonsOf(u).filter((b) => b.includes('·'));
    expect(page1).toHaveLength(8);
    expect(bot.buttonsOf(u)).toContain('1/2');
    await bot.pressButton(u, /▶️/);
    const page2 = bot.buttonsOf(u).filter((b) => b.includes('·'));
    expect(page2).toHaveLength(3);
    expect(new Set([...page1, ...page2]).size).toBe(11);
  });

  it('warns before saving a second product with the same name', async () => {
    const u = makeUser();
    await registerBusiness(bot, u);
    const first = await addProduct(bot, u, 'Kopi Robusta');
    await expect(addProduct(bot, u, 'kopi robusta')).rejects.toThrow(/product not saved/);
    expect(last(u)).toMatch(new RegExp(`sudah punya produk bernama «kopi robusta» \\(${first}\\)`));
    await bot.pressButton(u, /Tetap simpan/);
    expect(last(u)).toMatch(/Produk tersimpan dengan kode KOPI-\d{2}/);
  });

  it('stops at the configured maximum of active products', async () => {
    const u = makeUser();
    await registerBusiness(bot, u);
    for (const n of ['Satu', 'Dua', 'Tiga', 'Empat']) await addProduct(bot, u, `Gula ${n}`);
    await expect(addProduct(bot, u, 'Gula Lima')).rejects.toThrow(/product not saved/);
    expect(bot.textsTo(u).at(-2)).toMatch(/sudah memiliki 4 produk aktif/);
  });

  it('shows a name full of markup literally and Telegram accepts every message', async () => {
    const u = makeUser();
    await registerBusiness(bot, u);
    const code = await addProduct(bot, u, '<b>Kopi</b> & "Teh" <a href="x">');
    expect(last(u)).toContain('<b>Kopi</b> & "Teh" <a href="x">');
    await bot.send(u, '/produk');
    await bot.pressButton(u, new RegExp(code));
    expect(last(u)).toContain('<b>Kopi</b> & "Teh" <a href="x">');
    expect(bot.api.calls.filter((c) => !c.response.ok && c.method !== 'answerCallbackQuery')).toEqual([]);
  });
});

describe('buttons of someone else', () => {
  it('a forged product id changes nothing and says so', async () => {
    const owner = makeUser();
    const intruder = makeUser();
    await registerBusiness(bot, owner);
    await registerBusiness(bot, intruder);
    const code = await addProduct(bot, owner, 'Vanili Papua');
    const [row] = await bot.app.database.db.select().from(products).where(eq(products.code, code));
    const sent = bot.api.calls.length;
    for (const data of [`p:o:${row!.id}`, `p:a:${row!.id}`, `p:e:${row!.id}`, `p:r:${row!.id}`]) {
      await bot.press(intruder, data);
      const answer = bot.api.callsTo('answerCallbackQuery').at(-1);
      expect(String(answer?.params.text)).toMatch(/tidak ditemukan di katalog Anda/);
    }
    const [after] = await bot.app.database.db.select().from(products).where(eq(products.code, code));
    expect(after?.archivedAt).toBeNull();
    expect(bot.api.calls.slice(sent).filter((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === intruder.id)).toEqual([]);
  });
});
