/**
 * Fixed case of fuzz seed 1561661517 (issue 16 item 8). A fresh-clone CI run saved a submission whose
 * committed quantity is stored as 0.000: a positive number below the column's precision (numeric(16,3))
 * passed the "> 0" check and rounded to zero. The step generator changes what a seed replays, so the
 * case is written out here as the steps themselves, against the real bot, checked with the fuzz's own
 * database constraints; `test/domain/quantity.test.ts` holds it as a direct unit case too.
 *
 * Replay of the original: FUZZ_SEED=1561661517 FUZZ_STEPS=2000 npx vitest run test/fuzz
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createCampaign, type Campaign } from '../../src/services/campaigns.js';
import { createProduct } from '../../src/services/products.js';
import { submitProduct } from '../../src/services/submissions.js';
import { makeUser, startTestBot, type TestBot } from '../support/harness.js';
import { campaignInput } from '../support/campaign.js';
import { addProduct, registerBusiness } from '../support/exporter.js';

const SEED = 1561661517;
let bot: TestBot;
const now = Date.UTC(2026, 10, 28, 3, 0);
const OFFICIAL = { id: 990_816_201, first_name: 'Bu Retno', language_code: 'id' };
const A = makeUser({ first_name: 'Eksportir A', language_code: 'id' });
const B = makeUser({ first_name: 'Exporter B', language_code: 'en' });
const codes = new Map<number, string>();
let campaign: Campaign;
const db = () => bot.app.database.db;

async function rows(query: ReturnType<typeof sql>): Promise<Record<string, unknown>[]> {
  const r: unknown = await db().execute(query);
  if (Array.isArray(r)) return r as Record<string, unknown>[];
  if (typeof r === 'object' && r !== null && 'rows' in r && Array.isArray(r.rows)) return r.rows as Record<string, unknown>[];
  throw new Error(`unexpected result shape from execute: ${typeof r}`);
}

beforeAll(async () => {
  bot = await startTestBot({ env: { ADMIN_TELEGRAM_IDS: String(OFFICIAL.id), REMINDER_TICK_SECONDS: '3600' }, now: () => new Date(now) });
  await bot.send(OFFICIAL, '/start');
  const r = await createCampaign(db(), BigInt(OFFICIAL.id), campaignInput(now), new Date(now));
  if (!r.ok) throw new Error(r.error);
  campaign = r.value;
  for (const u of [A, B]) {
    await registerBusiness(bot, u, { company: `PT ${u.first_name}` });
    const code = await addProduct(bot, u, `Kopi ${u.first_name}`, { capacity: '10000' });
    codes.set(u.id, code);
    await bot.send(u, `/stok ${code} 7317`);
  }
}, 60_000);

afterAll(async () => bot?.stop());

describe(`fuzz seed ${SEED}, fixed: quantities below what is stored`, () => {
  it.each([
    [A, '0,0004', /paling kecil 0,001 kg/],
    [A, '0,4 g', /paling kecil 0,001 kg/],
    [B, '0.0004', /the smallest is 0\.001 kg/],
    [B, '1.0005', /the smallest is 0\.001 kg/],
  ] as const)('%# a commitment of %s is refused at the step, naming the smallest kept', async (u, typed, message) => {
    await bot.press(u, `cp:j:${campaign.id}`);
    await bot.pressButton(u, new RegExp(codes.get(u.id)!));
    await bot.send(u, typed);
    expect(bot.lastTextTo(u)).toMatch(message);
    await bot.send(u, u === A ? '/batal' : '/cancel');
  });

  it('a stock report below what is stored is refused, and nothing reaches the ledger', async () => {
    const before = await rows(sql`select count(*)::int as n from stock_reports`);
    await bot.send(A, `/stok ${codes.get(A.id)} 0,0004`);
    expect(bot.lastTextTo(A)).toMatch(/paling kecil 0,001 kg/);
    await bot.send(B, `/stock ${codes.get(B.id)} 7,317.0001`);
    expect(bot.lastTextTo(B)).toMatch(/the smallest is 0\.001 kg/);
    expect(await rows(sql`select count(*)::int as n from stock_reports`)).toEqual(before);
  });

  it('the services refuse it too, whatever path a number comes by', async () => {
    const [p] = await rows(sql`select id from products order by id limit 1`);
    const productId = Number(p?.id);
    const r = await submitProduct(db(), BigInt(A.id), { campaignId: campaign.id, productId, committed: 0.0004 }, { force: true, now: new Date(now) });
    expect(r.ok ? 'saved' : r.error).toBe('invalid');
    // the smallest kept is accepted: the refusal is the precision, not the product or the campaign
    const smallest = await submitProduct(db(), BigInt(A.id), { campaignId: campaign.id, productId, committed: 0.001 }, { force: true, now: new Date(now) });
    expect(smallest.ok ? 'saved' : smallest.error).toBe('saved');
    const input = { name: 'Kopi Mikro', category: 'coffee', hsCode: null, baseUnit: 'kg', minOrder: null, price: null, currency: null, certifications: [], photoFileId: null, description: 'x' } as const;
    const opts = { maxActive: 50, allowDuplicateName: true };
    const tiny = await createProduct(db(), BigInt(A.id), { ...input, certifications: [], monthlyCapacity: 0.0004 }, opts);
    expect(tiny.ok ? 'saved' : tiny.error).toBe('invalid');
    const rounded = await createProduct(db(), BigInt(A.id), { ...input, certifications: [], monthlyCapacity: 100, minOrder: 1.0005 }, opts);
    expect(rounded.ok ? 'saved' : rounded.error).toBe('invalid');
    const kept = await createProduct(db(), BigInt(A.id), { ...input, certifications: [], monthlyCapacity: 0.001 }, opts);
    expect(kept.ok ? 'saved' : kept.error).toBe('saved');
  });

  it('the fuzz\'s database checks hold: no commitment stored as zero, every quantity kept exactly', async () => {
    expect(await rows(sql`select id, committed_quantity from submissions where committed_quantity <= 0`)).toEqual([]);
    expect(await rows(sql`select count(*)::int as n from submissions where committed_quantity = 0.001`)).toEqual([{ n: 1 }]);
    expect(await rows(sql`select id from stock_reports where quantity < 0 or quantity > 1000000000`)).toEqual([]);
    expect(await rows(sql`select id from products where monthly_capacity <= 0 or min_order <= 0`)).toEqual([]);
  });
});
