import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { inject } from 'vitest';
import { products, stockReports } from '../../src/db/schema/index.js';
import { textUpdate } from '../support/fake-bot-api.js';
import { makeUser, startTestBot, type TestBot } from '../support/harness.js';
import { addProduct, registerBusiness } from '../support/exporter.js';

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ env: { RUN_JOBS: 'false' } });
});
afterAll(async () => bot?.stop());

describe('the Postgres connection is lost mid-update', () => {
  it('never says "saved" for a report that is not in the ledger, and reconnects by itself', async () => {
    const u = makeUser();
    await registerBusiness(bot, u);
    const code = await addProduct(bot, u, 'Kopi Tangguh');
    const [p] = await bot.app.database.db.select().from(products).where(eq(products.code, code));
    const admin = postgres(inject('pgAdminUrl'), { max: 1, onnotice: () => undefined });
    let killing = true;
    const killer = (async () => {
      while (killing) {
        await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${bot.db.name} and pid <> pg_backend_pid()`.catch(() => undefined);
        await new Promise((r) => setTimeout(r, 15));
      }
    })();
    const quantities = Array.from({ length: 40 }, (_, i) => 5000 + i);
    try {
      for (const q of quantities) await bot.process(textUpdate(u, `/stok ${code} ${q}`));
    } finally {
      killing = false;
      await killer;
      await admin.end();
    }
    // The pool may still hold a connection that was killed; the first query on it fails, the next reconnects.
    const readLedger = () => bot.app.database.db.select().from(stockReports).where(eq(stockReports.productId, p!.id));
    const rows = await readLedger().catch(readLedger).catch(readLedger);
    const inLedger = new Set(rows.map((r) => r.quantity));
    const texts = bot.textsTo(u);
    let saved = 0;
    for (const q of quantities) {
      const shown = new Intl.NumberFormat('id-ID').format(q);
      const told = texts.some((t) => t.startsWith(`✅ ${code}:`) && t.includes(`→ ${shown} kg`));
      if (told) {
        saved += 1;
        expect(inLedger.has(q), `told saved ${q}`).toBe(true);
      }
    }
    expect(texts.some((t) => /tidak tersimpan|terjadi gangguan/.test(t))).toBe(true);
    // Reconnected: the next report is saved and said so.
    await bot.process(textUpdate(u, `/stok ${code} 7777`));
    expect(bot.lastTextTo(u)).toMatch(/✅ .*→ 7\.777 kg/);
    console.log(`postgres fault: ${saved} of ${quantities.length} reports saved while backends were being killed`);
  }, 120_000);
});

describe('a handler slower than the webhook timeout while Telegram redelivers', () => {
  it('handles the update once', async () => {
    const u = makeUser();
    await bot.send(u, '/start');
    const before = bot.api.messagesTo(u.id).length;
    bot.api.setLatency(2500);
    try {
      const update = textUpdate(u, '/bantuan');
      const first = bot.process(update);
      await new Promise((r) => setTimeout(r, 300));
      const again = await Promise.all([bot.process(update), bot.process(update)]);
      expect(again).toEqual(['duplicate', 'duplicate']);
      expect(await first).toBe('handled');
    } finally {
      bot.api.setLatency(0);
    }
    expect(bot.api.messagesTo(u.id).length - before).toBe(1);
  }, 60_000);
});
