import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { Business, Product } from '../../src/db/schema/index.js';
import type { Campaign } from '../../src/services/campaigns.js';
import { translator } from '../../src/locales/index.js';
import type { BotContext } from '../../src/bot/context.js';
import { storedDraft, type FlowDef } from '../../src/bot/flow-engine/define.js';
import { FlowEngine } from '../../src/bot/flow-engine/engine.js';
import type { FlowRun, StoredDraft } from '../../src/bot/flow-engine/types.js';
import { ALL_FLOWS } from '../../src/bot/features/flows.js';
import { broadcastDraft, broadcastFlow } from '../../src/bot/features/broadcasts/broadcast-flow.js';
import { campaignDraft, campaignFlow } from '../../src/bot/features/campaigns/campaign-flow.js';
import { productDraft, productFlow } from '../../src/bot/features/catalogue/product-flow.js';
import { cannotReasonFlow } from '../../src/bot/features/entries/cannot-reason-flow.js';
import { submitDraft, submitFlow } from '../../src/bot/features/entries/submit-flow.js';
import { withdrawReasonFlow } from '../../src/bot/features/entries/withdraw-reason-flow.js';
import { businessDraft, registerFlow } from '../../src/bot/features/registration/register-flow.js';
import { rejectReasonFlow } from '../../src/bot/features/review/reject-reason-flow.js';
import { stockDraft, stockFlow } from '../../src/bot/features/stock/stock-flow.js';
import { makeUser, startTestBot, type TestBot } from '../support/harness.js';

/**
 * Sessions live 30 days, and `SESSION_VERSION` stays: every draft today's code stores must still be read
 * by its flow's draft schema (written here as that code writes them, JSON round-tripped as the session
 * store does), and a draft that is not must end its run politely.
 */

const json = (d: StoredDraft): StoredDraft => JSON.parse(JSON.stringify(d)) as StoredDraft;
const opens = (flow: FlowDef, d: StoredDraft) => flow.open(json(d));

const at = new Date('2025-11-01T03:00:00.000Z');
const business: Business = {
  id: 7,
  ownerId: 1001n,
  companyName: 'CV Kopi Nusantara',
  nib: '9120001234567',
  province: 'Jawa Timur',
  city: 'Malang',
  phone: '+6281234567890',
  email: null,
  contactName: null,
  createdAt: at,
  updatedAt: at,
};
const product: Product = {
  id: 11,
  businessId: 7,
  code: 'KOPI-01',
  name: 'Kopi Arabika Gayo',
  category: 'coffee',
  hsCode: null,
  baseUnit: 'kg',
  monthlyCapacity: 1500,
  minOrder: null,
  price: 85000,
  currency: 'IDR',
  certifications: ['halal', 'organic'],
  photoFileId: null,
  description: 'Biji kopi sangrai',
  archivedAt: null,
  createdAt: at,
  updatedAt: at,
  requestKey: null,
};
const campaign: Campaign = {
  id: 3,
  slug: 'alibaba-11-11-x7k2',
  title: 'Alibaba 11.11',
  market: 'Tiongkok',
  description: 'Kampanye 11.11',
  targetCategories: ['coffee', 'tea'],
  registrationDeadline: new Date('2025-11-05T10:00:00.000Z'),
  stockDeadline: new Date('2025-11-08T10:00:00.000Z'),
  eventAt: new Date('2025-11-11T00:00:00.000Z'),
  maxShortlist: 3,
  freshnessDays: 7,
  reminderOffsets: [10080, 4320, 1440, 180],
  status: 'open',
  resultsPublishedAt: null,
  createdBy: 9001n,
  createdAt: at,
  updatedAt: at,
  requestKey: null,
};

/** Drafts as today's code stores them: mid-run, at the card, skipped answers, pending multi-select picks. */
const TODAY: [FlowDef, StoredDraft[]][] = [
  [
    registerFlow,
    [
      {},
      { company: 'CV Kopi', nib: '9120001234567', prov: 'Jawa Timur', city: 'Malang' },
      { company: 'CV Kopi', nib: '9120001234567', prov: 'Bali', city: 'Gianyar', phone: '+6281234560777', email: null, contact: null },
      // From before the contact step: no `contact` key.
      { company: 'CV Kopi', nib: '9120001234567', prov: 'Bali', city: 'Gianyar', phone: '+6281234560777', email: 'a@b.co' },
      storedDraft(businessDraft(business)),
      storedDraft(businessDraft({ ...business, email: 'owner@kopi.id', contactName: 'Pak Budi' })),
    ],
  ],
  [
    productFlow,
    [
      { name: 'Kopi Gayo', cat: 'coffee', hs: null, unit: 'kg', cap: 1500 },
      { name: 'Kopi Gayo', cat: 'coffee', hs: '09011100', unit: 'ton', cap: 2, min: null, price: { amount: 85000, currency: 'IDR' }, 'cert~': ['halal', 'bpom'] },
      { name: 'Kopi Gayo', cat: 'coffee', unit: 'kg', cap: 1500, min: 100, price: null, 'cert~': ['none'] },
      { name: 'Teh', cat: 'tea', hs: null, unit: 'pcs', cap: 10, min: null, price: { amount: 1.5, currency: 'USD' }, cert: [], photo: 'AgACAgIAAxkBAAI', desc: 'Teh hijau' },
      // An edit opened from the card, the certifications re-opened: pending picks beside the stored answer.
      { ...storedDraft(productDraft(product)), 'cert~': ['halal'] },
      storedDraft(productDraft(product)),
      storedDraft(productDraft({ ...product, price: null, currency: null, certifications: [] })),
    ],
  ],
  [
    stockFlow,
    [
      storedDraft(stockDraft([product])),
      { $products: [{ id: 11, code: 'KOPI-01', label: 'KOPI-01 · Kopi Arabika Gayo', unit: 'kg' }], prod: 11 },
      { $products: [{ id: 11, code: 'KOPI-01', label: 'KOPI-01 · Kopi Arabika Gayo', unit: 'kg' }], prod: 11, qty: { text: '1,5 ton', base: 1500 } },
      { $products: [] },
    ],
  ],
  [
    campaignFlow,
    [
      { title: 'Alibaba 11.11', market: 'Tiongkok', desc: 'Kampanye', 'cats~': ['all'] },
      { title: 'Alibaba 11.11', market: 'Tiongkok', desc: 'Kampanye', cats: [], reg: '2025-11-05T10:00:00.000Z', stock: '2025-11-08T10:00:00.000Z', event: '2025-11-11T00:00:00.000Z', max: null, fresh: null },
      { title: 'Alibaba 11.11', market: 'Tiongkok', desc: 'Kampanye', cats: ['coffee'], 'cats~': ['coffee', 'tea'], reg: '2025-11-05T10:00:00.000Z', max: 5, fresh: 14 },
      storedDraft(campaignDraft(campaign)),
    ],
  ],
  [
    broadcastFlow,
    [
      storedDraft(broadcastDraft([campaign])),
      { $campaigns: [], aud: 'all', msg: { text: 'Halo eksportir', entities: [] } },
      // ⏰ Kirim nanti: a send time, or taken back with «Lewati» (null).
      { $campaigns: [], aud: 'all', msg: { text: 'Halo eksportir', entities: [] }, at: '2027-01-10T04:00:00.000Z' },
      { $campaigns: [], aud: 'all', msg: { text: 'Halo eksportir', entities: [] }, at: null },
      { $campaigns: [], aud: 'province', prov: 'Jawa Timur' },
      { $campaigns: [], aud: 'category', cat: 'spices' },
      {
        $campaigns: [{ id: 3, title: 'Alibaba 11.11' }],
        aud: 'shortlisted',
        camp: 3,
        msg: {
          text: 'Selamat, Bapak/Ibu terpilih!',
          entities: [
            { type: 'bold', offset: 0, length: 8 },
            { type: 'text_link', offset: 9, length: 9, url: 'https://t.me/etalase_bot' },
            { type: 'text_mention', offset: 19, length: 7, user: { id: 1001, is_bot: false, first_name: 'Sari' } },
            { type: 'pre', offset: 0, length: 3, language: 'ts' },
          ],
        },
      },
    ],
  ],
  [
    submitFlow,
    [
      storedDraft(submitDraft(campaign, [product], new Map([[11, { quantity: 900 }]]), new Map(), at)),
      storedDraft(submitDraft(campaign, [product], new Map(), new Map(), at, { productId: 11, committed: 500 })),
      {
        $campaign: { id: 3, title: 'Alibaba 11.11' },
        $products: [
          { id: 11, code: 'KOPI-01', label: 'KOPI-01 · Kopi', unit: 'kg', capacity: 1500, level: null },
          { id: 12, code: 'TEH-01', label: 'TEH-01 · Teh', unit: 'pcs', capacity: 10, level: 4, entry: { committed: 5, state: 'shortlisted' } },
        ],
        prod: 11,
        stk: 100,
        com: 50,
      },
      // Asked to confirm a raise: the acknowledged change is kept for «yes».
      {
        $campaign: { id: 3, title: 'Alibaba 11.11' },
        $products: [{ id: 12, code: 'TEH-01', label: 'TEH-01 · Teh', unit: 'pcs', capacity: 10, level: 4, entry: { committed: 5, state: 'underReview' } }],
        prod: 12,
        com: 8,
        $ack: { kind: 'raise', com: 8 },
      },
    ],
  ],
  [rejectReasonFlow, [{ $code: 'KOPI-01' }, { $code: 'KOPI-01', $version: 3 }, { $code: 'KOPI-01', $version: 3, reason: 'Stok belum cukup' }]],
  [withdrawReasonFlow, [{ $code: 'KOPI-01', $campaign: 'Alibaba 11.11' }, { $code: 'KOPI-01', $campaign: 'Alibaba 11.11', reason: 'Panen gagal' }]],
  [cannotReasonFlow, [{ $code: 'KOPI-01', $campaign: 'Alibaba 11.11' }, { $code: 'KOPI-01', $campaign: 'Alibaba 11.11', reason: 'Gudang kebanjiran' }]],
];

describe('stored drafts of today’s shape', () => {
  it('covers every registered flow', () => {
    expect(TODAY.map(([f]) => f.name).sort()).toEqual(ALL_FLOWS.map((f) => f.name).sort());
  });

  for (const [flow, drafts] of TODAY) {
    it(`are read by the ${flow.name} flow`, () => {
      for (const d of drafts) {
        const o = opens(flow, d);
        expect(o.ok ? [] : o.issues, JSON.stringify(d)).toEqual([]);
        // And every step's functions run on it (the card shows it).
        if (o.ok) flow.steps.forEach((_s, i) => o.draft.applies(i) && o.draft.shown(i, { lang: 'id', t: translator('id'), now: at, timeZone: 'Asia/Jakarta' }));
      }
    });
  }

  it('are refused when they do not fit (the run is then dropped)', () => {
    const malformed: [FlowDef, StoredDraft][] = [
      [productFlow, { name: 'Kopi', cap: 'banyak' }],
      [productFlow, { cat: 'gadgets' }],
      [stockFlow, { $products: [{ id: '11', code: 'KOPI-01' }] }],
      [campaignFlow, { reg: 'next tuesday' }],
      [broadcastFlow, { msg: { text: 'Halo', entities: [{ type: 'bold' }] } }],
      [broadcastFlow, { at: 'besok pagi' }],
      [submitFlow, { $products: [{ id: 11, code: 'KOPI-01', label: 'K', unit: 'kg', capacity: 1, level: null, entry: { committed: 1, state: 'won' } }] }],
      [rejectReasonFlow, { $version: 'v3' }],
      [registerFlow, { company: ['CV', 'Kopi'] }],
    ];
    for (const [flow, d] of malformed) expect(opens(flow, d).ok, `${flow.name} ${JSON.stringify(d)}`).toBe(false);
  });
});

describe('flows.start', () => {
  it('types the draft a handler passes by the flow’s draft schema', () => {
    const engine = new FlowEngine();
    // Never called: the compiler is the test (`npx tsc` runs over test/ too).
    const handlers = (ctx: BotContext) => [
      engine.start(ctx, rejectReasonFlow, { target: '12', draft: { $code: 'KOPI-01', $version: 3 } }),
      engine.start(ctx, withdrawReasonFlow, { target: '12', draft: { $code: 'KOPI-01', $campaign: 'Alibaba 11.11' } }),
      engine.start(ctx, productFlow, { draft: productDraft(product), target: '11', atSummary: true }),
      // @ts-expect-error a card version is a number
      engine.start(ctx, rejectReasonFlow, { draft: { $version: '3' } }),
      // @ts-expect-error the stock flow's draft has no campaign
      engine.start(ctx, stockFlow, { draft: { $campaign: 'Alibaba 11.11' } }),
    ];
    expect(typeof handlers).toBe('function');
  });
});

describe('a stored run whose draft does not fit', () => {
  let bot: TestBot;
  const lines: string[] = [];
  beforeAll(async () => {
    bot = await startTestBot({ log: pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) }) });
  });
  afterAll(async () => bot?.stop());

  const sessionKey = (id: number) => `${bot.config.REDIS_PREFIX}session:${id}:${id}`;
  async function storeRun(id: number, run: Partial<FlowRun>): Promise<void> {
    const session = (await bot.app.sessionStorage.read(sessionKey(id))) as Record<string, unknown>;
    const now = Date.now();
    const flow: FlowRun = { name: 'product', step: 'min', draft: {}, trail: ['name', 'cat', 'hs', 'unit', 'cap'], runId: 'old1ab', editing: false, target: null, page: 0, startedAt: now, touchedAt: now, ...run };
    await bot.app.sessionStorage.write(sessionKey(id), { ...session, flow });
  }
  const expiredText = () => translator('id')('flows.expired', { title: translator('id')('product.title') });
  const warned = () => lines.filter((l) => l.includes('flow run does not fit its flow'));
  const flowOf = async (id: number) => ((await bot.app.sessionStorage.read(sessionKey(id))) as { flow: unknown }).flow;

  it('ends on the next message with the expired-run message, and a warning in the log', async () => {
    const u = makeUser();
    await bot.send(u, '/start');
    await storeRun(u.id, { draft: { name: 'Kopi', cat: 'coffee', hs: null, unit: 'kg', cap: 'banyak' } });
    await bot.send(u, '100');
    expect(bot.lastTextTo(u)).toBe(expiredText().replace(/<[^>]+>/g, ''));
    expect(await flowOf(u.id)).toBeNull();
    expect(warned().length).toBe(1);
    // The next message is an ordinary one again.
    await bot.send(u, '/bantuan');
    expect(bot.lastTextTo(u)).not.toBe(expiredText());
  });

  it('ends on a press of its buttons too, answering the press', async () => {
    const u = makeUser();
    await bot.send(u, '/start');
    await storeRun(u.id, { step: '$summary', draft: { name: 'Kopi', cat: 'gadgets' } });
    const answers = () => bot.api.calls.filter((c) => c.method === 'answerCallbackQuery').length;
    const before = answers();
    await bot.press(u, 'f:old1ab:S:v:');
    expect(answers()).toBe(before + 1);
    expect(bot.lastTextTo(u)).toBe(expiredText().replace(/<[^>]+>/g, ''));
    expect(await flowOf(u.id)).toBeNull();
    expect(warned().length).toBe(2);
  });
});
