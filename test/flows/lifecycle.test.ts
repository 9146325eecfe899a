import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { FakeBotApi } from '../support/fake-bot-api.js';
import { freshRedisPrefix, makeUser, startTestBot, TEST_TOKEN, type TestBot } from '../support/harness.js';
import { registerBusiness } from '../support/exporter.js';
import { createProduct } from '../../src/services/products.js';
import type { ProductInput } from '../../src/domain/catalog.js';

let db: TestDatabase;
let api: FakeBotApi;
beforeAll(async () => {
  db = await createTestDatabase();
  api = await FakeBotApi.start({ token: TEST_TOKEN });
});
afterAll(async () => {
  await api?.close();
  await db?.drop();
});

describe('a flow across a restart', () => {
  it('resumes at the same step after the bot process is replaced', async () => {
    const prefix = freshRedisPrefix();
    const first = await startTestBot({ db, api, redisPrefix: prefix });
    const u = makeUser();
    await first.send(u, '/daftar');
    await first.send(u, 'PT Tahan Restart');
    await first.send(u, '9120009990001');
    expect(first.lastTextTo(u)).toMatch(/langkah 3 dari 7/);
    await first.stop();

    const second = await startTestBot({ db, api, redisPrefix: prefix });
    try {
      await second.send(u, 'sulsel');
      expect(second.lastTextTo(u)).toMatch(/langkah 4 dari 7/);
      await second.send(u, 'Makassar');
      await second.send(u, '081298765432');
      await second.pressButton(u, /Lewati/);
      await second.pressButton(u, /Lewati/); // contact person
      expect(second.lastTextTo(u)).toContain('Nama usaha: PT Tahan Restart');
      expect(second.lastTextTo(u)).toContain('Provinsi: Sulawesi Selatan (WITA)');
    } finally {
      await second.stop();
    }
  });
});

describe('an idle flow', () => {
  it('expires after 24 hours with a polite message the next time the user writes', async () => {
    let now = new Date('2026-11-28T03:00:00Z').getTime();
    const bot = await startTestBot({ db, api, now: () => new Date(now) });
    try {
      const u = makeUser();
      await bot.send(u, '/daftar');
      await bot.send(u, 'PT Lupa Lanjut');
      now += 23 * 3600 * 1000;
      await bot.send(u, '9120009990002');
      expect(bot.lastTextTo(u)).toMatch(/langkah 3 dari 7/);
      now += 24 * 3600 * 1000 + 1000;
      await bot.send(u, 'Bali');
      expect(bot.lastTextTo(u)).toMatch(/Proses «Pendaftaran usaha» berakhir karena tidak ada jawaban selama 24 jam/);
      await bot.send(u, 'Bali');
      expect(bot.lastTextTo(u)).toMatch(/belum mengerti/);
    } finally {
      await bot.stop();
    }
  });
});

describe('product codes', () => {
  const input = (name: string): ProductInput => ({
    name, category: 'coffee', hsCode: null, baseUnit: 'kg', monthlyCapacity: 100, minOrder: null, price: null, currency: null, certifications: [], photoFileId: null, description: 'd',
  });

  it('stay unique when two exporters register "Kopi" at the same moment', async () => {
    const bot = await startTestBot({ db, api });
    try {
      const people = Array.from({ length: 6 }, () => makeUser());
      for (const p of people) await registerBusiness(bot, p);
      const results = await Promise.all(
        people.map((p) => createProduct(bot.app.database.db, BigInt(p.id), input('Kopi'), { maxActive: 50, allowDuplicateName: false })),
      );
      const codes = results.map((r) => (r.ok ? r.value.code : r.error));
      expect(new Set(codes).size).toBe(6);
      for (const c of codes) expect(c).toMatch(/^KOPI-\d{2}$/);

      // Through the bot, two users pressing save at once.
      const [a, b] = [makeUser(), makeUser()];
      await registerBusiness(bot, a);
      await registerBusiness(bot, b);
      for (const u of [a, b]) {
        await bot.send(u, '/produk_baru');
        await bot.send(u, 'Kopi');
        await bot.pressButton(u, /Kopi/);
        await bot.pressButton(u, /Lewati/);
        await bot.pressButton(u, /^kg$/);
        await bot.send(u, '10');
        await bot.pressButton(u, /Lewati/);
        await bot.pressButton(u, /Lewati/);
        await bot.pressButton(u, /Tidak ada/);
        await bot.pressButton(u, /Selesai/);
        await bot.pressButton(u, /Lewati/);
        await bot.send(u, 'Kopi bubuk');
      }
      await Promise.all([bot.pressButton(a, /Simpan/), bot.pressButton(b, /Simpan/)]);
      const codeA = /KOPI-\d{2}/.exec(bot.lastTextTo(a))?.[0];
      const codeB = /KOPI-\d{2}/.exec(bot.lastTextTo(b))?.[0];
      expect(codeA).toBeDefined();
      expect(codeB).toBeDefined();
      expect(codeA).not.toBe(codeB);
    } finally {
      await bot.stop();
    }
  });
});

describe('a database failure at save', () => {
  it('says "not saved", keeps the answers, and saves when pressed again', async () => {
    const bot: TestBot = await startTestBot({ db, api });
    try {
      const u = makeUser();
      await bot.send(u, '/daftar');
      for (const a of ['PT Gangguan', '9120009990003', 'Aceh', 'Banda Aceh', '081234560003']) await bot.send(u, a);
      await bot.pressButton(u, /Lewati/);
      await bot.pressButton(u, /Lewati/); // contact person
      const { sql } = await import('drizzle-orm');
      await bot.app.database.db.execute(sql`alter table businesses rename to businesses_away`);
      try {
        await bot.pressButton(u, /Simpan/);
      } finally {
        await bot.app.database.db.execute(sql`alter table businesses_away rename to businesses`);
      }
      const texts = bot.textsTo(u);
      expect(texts.at(-2)).toMatch(/Belum tersimpan/);
      expect(texts.join('\n')).not.toMatch(/Profil usaha .* tersimpan/);
      expect(texts.at(-1)).toMatch(/Ringkasan/);
      await bot.pressButton(u, /Simpan/);
      expect(bot.lastTextTo(u)).toMatch(/Profil usaha PT Gangguan tersimpan/);
    } finally {
      await bot.stop();
    }
  });
});
