import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { pino } from 'pino';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { auditLog, submissions } from '../../src/db/schema/index.js';
import type { Category } from '../../src/domain/catalog.js';
import { en } from '../../src/locales/en.js';
import { id } from '../../src/locales/id.js';
import { saveBusiness } from '../../src/services/businesses.js';
import { createCampaign, type Campaign } from '../../src/services/campaigns.js';
import { createProduct } from '../../src/services/products.js';
import { createInvite, redeemInvite } from '../../src/services/roles.js';
import { reportStock, stockLineFor } from '../../src/services/stock.js';
import { submitProduct } from '../../src/services/submissions.js';
import { addToTeam } from '../../src/services/team.js';
import { recordSeenUser, type TelegramPerson } from '../../src/services/users.js';
import { createWebApp, signInitData } from '../../src/web/index.js';
import { buildWebapp, GZIP_BUDGET_BYTES } from '../../src/webapp/build.js';
import { campaignInput } from '../support/campaign.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { TEST_TOKEN } from '../support/harness.js';
import { computed, DARK, LIGHT, launchChromium, launchFragment, mainButtonShows, openPage, row, telegramSends, tgEvents } from './browser.js';

const ID = id.webapp;
const EN = en.webapp;

/**
 * The Mini App end to end: the bundle built into a temporary folder, served by the real server
 * (`createWebApp` mounted on a node:http server) over a real Postgres seeded through the services,
 * opened in headless chromium with signed launch parameters as Telegram opens it. An official sorts,
 * filters, opens a product and picks it; the pick is then read back from the database, with its
 * audit row. A second official, whose Telegram speaks English, opens the same campaign in the dark theme.
 *
 * `WEBAPP_README_SHOT=docs/img/webapp-table.png` also saves the light table there (for the README).
 */
const HOUR = 3600_000;
const ENTRIES = 36;
const ADMIN: TelegramPerson = { id: 731_700_001, first_name: 'Admin' };
const OFFICIAL_ID: TelegramPerson = { id: 731_700_002, first_name: 'Bu Retno', last_name: 'Wulandari', language_code: 'id' };
const OFFICIAL_EN: TelegramPerson = { id: 731_700_003, first_name: 'Pak Joko', language_code: 'en' };
const PROVINCES = ['Jawa Barat', 'Jawa Timur', 'Bali', 'Sumatera Utara', 'Sulawesi Selatan'];
const PRODUCTS: [string, Category][] = [
  ['Kopi Gayo', 'coffee'],
  ['Lada Putih', 'spices'],
  ['Tas Rotan', 'handicraft'],
  ['Kopi Toraja', 'coffee'],
  ['Kayu Manis', 'spices'],
  ['Anyaman Pandan', 'handicraft'],
];

/** One seeded entry, and what its row should show. */
interface Seeded {
  code: string;
  submissionId: number;
  committed: number;
  /** Hours since the latest stock report; null: never reported. */
  ageHours: number | null;
  ready: boolean;
}

let dir: string;
let testDb: TestDatabase;
let database: Database;
let server: Server;
let baseUrl: string;
let browser: Browser;
let campaign: Campaign;
const seeded: Seeded[] = [];

const db = () => database.db;

function must<T>(r: { ok: true; value: T } | { ok: false; error: unknown }, what: string): T {
  if (!r.ok) throw new Error(`${what}: ${String(r.error)}`);
  return r.value;
}

async function seenUser(p: TelegramPerson, admin = false): Promise<void> {
  await recordSeenUser(db(), p, { chatId: p.id, adminIds: admin ? [BigInt(p.id)] : [], defaultTimeZone: 'Asia/Jakarta' });
}

async function makeOfficial(p: TelegramPerson, now: Date): Promise<void> {
  await seenUser(p);
  const invite = must(await createInvite(db(), BigInt(ADMIN.id), now), 'invite');
  must(await redeemInvite(db(), BigInt(p.id), invite.token, now), 'redeem');
}

/**
 * Entry i: stock ages spread over 1 h … 17 days (distinct, not in code order), every ninth never
 * reported, every fourth reporting less than it commits; fresh means within the campaign's 7 days.
 */
function plan(i: number): { ageHours: number | null; committed: number; level: number | null } {
  const ageHours = i % 9 === 8 ? null : ((i * 37 + 11) % 400) + 1;
  const committed = 500 * ((i % 7) + 1) + 1000;
  const level = ageHours === null ? null : i % 4 === 3 ? Math.floor(committed / 2) : committed + 250;
  return { ageHours, committed, level };
}

async function seedEntry(i: number, now: number): Promise<Seeded> {
  const owner: TelegramPerson = { id: 731_710_000 + i, first_name: `Eksportir ${i + 1}` };
  const ownerId = BigInt(owner.id);
  await seenUser(owner);
  must(
    await saveBusiness(db(), ownerId, {
      companyName: `CV Maju ${String.fromCharCode(65 + (i % 26))}${i >= 26 ? i : ''}`,
      nib: String(7_317_000_000_000 + i),
      province: PROVINCES[i % PROVINCES.length]!,
      city: 'Kota Uji',
      phone: `+6281234567${String(i).padStart(2, '0')}`,
      email: i % 2 === 0 ? `ekspor${i}@example.co.id` : null,
      contactName: null,
    }),
    'business',
  );
  const [name, category] = PRODUCTS[i % PRODUCTS.length]!;
  const product = must(
    await createProduct(
      db(),
      ownerId,
      { name: `${name} ${i + 1}`, category, hsCode: null, baseUnit: 'kg', monthlyCapacity: 20_000, minOrder: 500, price: null, currency: null, certifications: i % 2 === 0 ? ['halal'] : [], photoFileId: null, description: 'Produk uji peramban.' },
      { maxActive: 10, allowDuplicateName: true },
    ),
    'product',
  );
  const p = plan(i);
  if (p.ageHours !== null && p.level !== null) {
    // Three reports a day apart, the last one `ageHours` old: the chart has a line to draw.
    for (const [k, back] of [72, 48, 0].entries()) {
      const quantity = p.level + (2 - k) * 300;
      const outcomes = await reportStock(db(), ownerId, [stockLineFor(product.code, String(quantity))], { locale: 'id', source: 'line', now: new Date(now - (p.ageHours + back) * HOUR) });
      if (!outcomes.every((o) => o.ok)) throw new Error(`stock for ${product.code} refused: ${JSON.stringify(outcomes)}`);
    }
  }
  const saved = must(await submitProduct(db(), ownerId, { campaignId: campaign.id, productId: product.id, committed: p.committed }, { force: true, now: new Date(now) }), 'submit');
  const ready = p.ageHours !== null && p.level !== null && p.ageHours <= 7 * 24 && p.level >= p.committed;
  return { code: product.code, submissionId: saved.submission.id, committed: p.committed, ageHours: p.ageHours, ready };
}

beforeAll(async () => {
  browser = await launchChromium();
  dir = mkdtempSync(join(tmpdir(), 'etalase-webapp-real-'));
  const built = await buildWebapp(join(dir, 'webapp'));
  expect(built.gzip.total).toBeLessThan(GZIP_BUDGET_BYTES);

  testDb = await createTestDatabase();
  database = await testDb.open();
  const now = Date.now();
  await seenUser(ADMIN, true);
  await makeOfficial(OFFICIAL_ID, new Date(now));
  await makeOfficial(OFFICIAL_EN, new Date(now));
  campaign = must(
    await createCampaign(
      db(),
      BigInt(OFFICIAL_ID.id),
      campaignInput(now, { title: 'Harbolnas 12.12 — Jepang', market: 'Jepang', targetCategories: ['coffee', 'spices', 'handicraft'], maxShortlist: 5 }),
      new Date(now),
    ),
    'campaign',
  );
  must(await addToTeam(db(), BigInt(OFFICIAL_ID.id), campaign.id, BigInt(OFFICIAL_EN.id)), 'team');
  for (let i = 0; i < ENTRIES; i++) seeded.push(await seedEntry(i, now));

  const app = createWebApp({ db: db(), botToken: TEST_TOKEN, now: () => new Date(), log: pino({ level: 'silent' }), staticDir: built.outDir });
  server = createServer((req, res) => {
    app(req, res).then(
      (answered) => {
        if (!answered) res.writeHead(404).end();
      },
      (e: unknown) => {
        console.error('[web app]', e);
        if (!res.headersSent) res.writeHead(500);
        res.end();
      },
    );
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (server !== undefined) {
    server.closeAllConnections();
    await new Promise<void>((ok) => server.close(() => { ok(); }));
  }
  await database?.close();
  await testDb?.drop();
  // The screenshots stay for a look; the bundle goes.
  if (dir !== undefined) rmSync(join(dir, 'webapp'), { recursive: true, force: true });
});

/** Telegram's launch for this person, signed with the bot's token just now. */
function launch(p: TelegramPerson, theme: Record<string, string>): string {
  const user = { id: p.id, first_name: p.first_name, ...(p.last_name ? { last_name: p.last_name } : {}), ...(p.language_code ? { language_code: p.language_code } : {}) };
  return launchFragment(signInitData(user, TEST_TOKEN, new Date()), theme);
}

async function submissionRow(submissionId: number) {
  const [s] = await db().select().from(submissions).where(eq(submissions.id, submissionId));
  return s!;
}

function auditRows(action: string, actor: TelegramPerson, target?: string) {
  return db()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.actorId, BigInt(actor.id)), ...(target === undefined ? [] : [eq(auditLog.target, target)])));
}

async function renderedCodes(page: Page): Promise<string[]> {
  return page.evaluate<string[]>("[...document.querySelectorAll('[data-testid=row]')].map((r) => r.getAttribute('data-code'))");
}

describe('an Indonesian official, light theme, against the real server and Postgres', () => {
  let context: BrowserContext;
  let page: Page;
  const byAge = () => seeded.filter((s) => s.ageHours !== null).sort((a, b) => a.ageHours! - b.ageHours!);

  beforeAll(async () => {
    context = await browser.newContext({ viewport: { width: 1200, height: 800 }, locale: 'id-ID', timezoneId: 'Asia/Jakarta' });
    page = await openPage(context, `${baseUrl}/app/${launch(OFFICIAL_ID, LIGHT)}`);
  });
  afterAll(async () => {
    await context?.close();
  });

  it('signs in with the signed initData and offers the campaign of its team', async () => {
    await page.getByTestId('campaign').first().waitFor();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(ID.pickCampaign);
    await expect(page.getByTestId('campaign').textContent()).resolves.toContain('Harbolnas 12.12 — Jepang');
    const types = (await tgEvents(page)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['web_app_ready', 'web_app_expand']));
    expect(await auditRows('webapp.session', OFFICIAL_ID)).toHaveLength(1);
    expect(await page.evaluate<string>('document.documentElement.lang')).toBe('id');

    await page.getByTestId('campaign').first().click();
    await page.getByTestId('row').first().waitFor();
    expect(await page.getByTestId('table').getAttribute('data-total')).toBe(String(ENTRIES));
    await expect(page.getByTestId('chosen').textContent()).resolves.toBe('0 dari maks. 5 dipilih');
    await expect(page.getByTestId('sort-stockAge').textContent()).resolves.toContain(ID.colStockAge);

    const shot = join(dir, 'table-real-id-light.png');
    await page.screenshot({ path: shot });
    console.log(`screenshot of the table (real server): ${shot}`);
    const readme = process.env.WEBAPP_README_SHOT;
    if (readme !== undefined && readme !== '') {
      mkdirSync(dirname(resolve(readme)), { recursive: true });
      await page.screenshot({ path: resolve(readme) });
      console.log(`README screenshot: ${resolve(readme)}`);
    }
  });

  it('sorts by stock age: freshest first, then the oldest (never reported) first', async () => {
    const ages = byAge();
    await page.getByTestId('sort-stockAge').click();
    await page.locator(`[data-testid=row][data-index="0"][data-code="${ages[0]!.code}"]`).waitFor();
    expect(await page.locator('th[aria-sort="ascending"]').count()).toBe(1);
    // Every rendered row in order of its report's age, as seeded (not as the server happened to list them).
    const codes = await renderedCodes(page);
    expect(codes).toEqual(ages.map((s) => s.code).slice(0, codes.length));

    await page.getByTestId('sort-stockAge').click();
    const never = seeded.filter((s) => s.ageHours === null).sort((a, b) => a.code.localeCompare(b.code, 'id', { numeric: true }));
    await page.locator(`[data-testid=row][data-index="0"][data-code="${never[0]!.code}"]`).waitFor();
    await expect(page.getByTestId('row').first().getByTestId('stock-age').textContent()).resolves.toBe(ID.noStock);
    await page.getByTestId('sort-stockAge').click();
    await page.locator(`[data-testid=row][data-index="0"][data-code="${ages[0]!.code}"]`).waitFor();
  });

  it('filters to the ready entries: exactly those the seed made ready', async () => {
    const ready = seeded.filter((s) => s.ready);
    expect(ready.length).toBeGreaterThan(5);
    expect(ready.length).toBeLessThan(ENTRIES);
    await page.getByTestId('filter-ready').check();
    await page.locator(`[data-testid=table][data-shown="${ready.length}"]`).waitFor();
    expect(await page.locator('[data-testid=row]:not(.is-ready)').count()).toBe(0);
    expect(new Set(await renderedCodes(page))).toEqual(new Set(ready.map((s) => s.code)));
  });

  it('opens the freshest ready product: the panel draws its stock chart and offers 🏆 as the main button', async () => {
    const target = byAge().find((s) => s.ready)!;
    await page.locator(`[data-testid=row][data-index="0"][data-code="${target.code}"]`).waitFor();
    await row(page, target.code).click();
    await page.getByTestId('panel-detail').waitFor();
    await page.locator('[data-testid=stock-chart] canvas').first().waitFor();
    await expect(page.locator('#panel-title').textContent()).resolves.toMatch(/^(Kopi|Lada|Tas|Kayu|Anyaman)/);
    await expect(page.getByTestId('panel-readiness').textContent()).resolves.toContain(ID.ready);
    await mainButtonShows(page, ID.pick);
  });

  it('picks it with Telegram\'s main button: Postgres has it shortlisted, with its audit row', async () => {
    const target = byAge().find((s) => s.ready)!;
    await telegramSends(page, 'main_button_pressed', null);
    await page.getByTestId('btn-undo').waitFor();
    await expect(page.getByTestId('notice').textContent()).resolves.toBe(ID.saved_shortlist);
    await expect(row(page, target.code).getByTestId('decision').textContent()).resolves.toContain('🏆');
    await expect(page.getByTestId('chosen').textContent()).resolves.toBe('1 dari maks. 5 dipilih');

    const s = await submissionRow(target.submissionId);
    expect(s.status).toBe('shortlisted');
    expect(s.decidedBy).toBe(BigInt(OFFICIAL_ID.id));
    expect(s.version).toBe(2);
    const audits = await auditRows('review.shortlist', OFFICIAL_ID, `submission:${target.submissionId}`);
    expect(audits).toHaveLength(1);
    expect(audits[0]!.outcome).toBe('ok');
    expect(audits[0]!.details).toMatchObject({ ready: true, version: 2 });

    await page.screenshot({ path: join(dir, 'panel-real-id-light.png') });
    await page.keyboard.press('Escape');
    await page.getByTestId('panel').waitFor({ state: 'detached' });
  });

  it('a product that is not ready needs the second confirmation, and the pick records it', async () => {
    const target = seeded.find((s) => !s.ready && s.ageHours !== null && s.ageHours <= 7 * 24)!;
    await page.getByTestId('filter-ready').uncheck();
    await page.getByTestId('search').fill(target.code);
    await page.locator('[data-testid=table][data-shown="1"]').waitFor();
    await row(page, target.code).click();
    await page.getByTestId('btn-pick').click();
    await page.getByTestId('confirm').waitFor();
    await expect(page.getByTestId('confirm').textContent()).resolves.toContain(target.code);
    expect((await submissionRow(target.submissionId)).status).toBe('submitted');
    await page.getByTestId('btn-confirm').click();
    await page.getByTestId('btn-undo').waitFor();
    const s = await submissionRow(target.submissionId);
    expect(s.status).toBe('shortlisted');
    expect(s.acceptedNotReady).toBe(true);
    await expect(page.getByTestId('chosen').textContent()).resolves.toBe('2 dari maks. 5 dipilih');

    // ↩️ undoes it, in Postgres too.
    await page.getByTestId('btn-undo').click();
    await page.getByTestId('btn-pick').waitFor();
    expect((await submissionRow(target.submissionId)).status).toBe('submitted');
    expect(await auditRows('review.undo', OFFICIAL_ID, `submission:${target.submissionId}`)).toHaveLength(1);
    // Telegram's back button closes the panel (and the page hides it and the main button again).
    await telegramSends(page, 'back_button_pressed', null);
    await page.getByTestId('panel').waitFor({ state: 'detached' });
    const buttons = (await tgEvents(page)).filter((e) => e.type === 'web_app_setup_back_button' || e.type === 'web_app_setup_main_button');
    expect(buttons.slice(-2).map((e) => e.data?.is_visible)).toEqual([false, false]);
    await page.getByTestId('search').fill('');
  });

  it('rejects with a reason (a chosen one and typed words): the reason is stored and audited', async () => {
    const target = seeded.find((s) => s.ready && s.code !== byAge().find((x) => x.ready)!.code)!;
    await page.getByTestId('search').fill(target.code);
    await page.locator('[data-testid=table][data-shown="1"]').waitFor();
    await row(page, target.code).click();
    await page.getByTestId('btn-reject').click();
    // Too short to be a reason: the page says so and sends nothing.
    await page.getByTestId('reason-text').fill('ok');
    await page.getByTestId('btn-reject-send').click();
    await expect(page.getByTestId('notice').textContent()).resolves.toBe(ID.reasonRequired);
    expect((await submissionRow(target.submissionId)).status).toBe('submitted');

    await page.getByTestId('reason-reasonQuota').check();
    await page.getByTestId('reason-text').fill('harga FOB terlalu tinggi');
    await page.getByTestId('btn-reject-send').click();
    await page.getByTestId('btn-undo').waitFor();
    await expect(page.getByTestId('notice').textContent()).resolves.toBe(ID.saved_reject);
    await expect(row(page, target.code).getByTestId('decision').textContent()).resolves.toBe(`✖️ ${ID.decision_rejected}`);
    const s = await submissionRow(target.submissionId);
    expect(s.status).toBe('rejected');
    expect(s.reason).toBe(`${id.review.reasonQuota}: harga FOB terlalu tinggi`);
    const audits = await auditRows('review.reject', OFFICIAL_ID, `submission:${target.submissionId}`);
    expect(audits.map((a) => a.details?.reason)).toEqual([s.reason]);

    // A listed reason alone goes as its key, so each reader sees it in their own language.
    await page.getByTestId('btn-undo').click();
    await page.getByTestId('btn-pick').waitFor();
    await page.getByTestId('btn-reject').click();
    await page.getByTestId('reason-reasonStock').check();
    await page.getByTestId('reason-text').fill('');
    await page.getByTestId('btn-reject-send').click();
    await page.getByTestId('btn-undo').waitFor();
    expect(await submissionRow(target.submissionId)).toMatchObject({ status: 'rejected', reasonKey: 'reject_stock', reason: id.review.reasonStock });
    await page.getByTestId('panel-close').click();
    await page.getByTestId('panel').waitFor({ state: 'detached' });
    await page.getByTestId('search').fill('');
  });

  it('opens the XLSX report through Telegram with a signed link the server honours', async () => {
    await page.getByTestId('report').click();
    await page.waitForFunction("window.__tgEvents.some((e) => e.type === 'web_app_open_link')");
    const link = (await tgEvents(page)).find((e) => e.type === 'web_app_open_link')!.data!.url as string;
    expect(link.startsWith(`${baseUrl}/app/api/campaigns/${campaign.id}/report.xlsx?`)).toBe(true);
    const res = await fetch(link);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    // An XLSX is a zip.
    expect(Buffer.from(await res.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
  });
});

describe('an official whose Telegram speaks English, dark theme', () => {
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    context = await browser.newContext({ viewport: { width: 1200, height: 800 }, locale: 'en-GB', colorScheme: 'dark', timezoneId: 'Asia/Jakarta' });
    page = await openPage(context, `${baseUrl}/app/?campaign=${campaign.id}${launch(OFFICIAL_EN, DARK)}`);
    await page.getByTestId('row').first().waitFor();
  });
  afterAll(async () => {
    await context?.close();
  });

  it('opens the campaign from ?campaign= with English labels, and sees the pick made in Indonesian', async () => {
    expect(await page.evaluate<string>('document.documentElement.lang')).toBe('en');
    await expect(page.getByTestId('sort-code').textContent()).resolves.toContain(EN.colCode);
    await expect(page.getByTestId('sort-stockAge').textContent()).resolves.toContain(EN.colStockAge);
    await expect(page.locator('label', { has: page.getByTestId('filter-ready') }).textContent()).resolves.toContain(EN.filterReady);
    await expect(page.getByTestId('search').getAttribute('placeholder')).resolves.toBe(EN.searchPlaceholder);
    await expect(page.getByTestId('chosen').textContent()).resolves.toBe('1 of max 5 chosen');
    const picked = seeded.filter((s) => s.ready && s.ageHours !== null).sort((a, b) => a.ageHours! - b.ageHours!)[0]!;
    await expect(row(page, picked.code).getByTestId('decision').textContent()).resolves.toBe(`🏆 ${EN.decision_shortlisted}`);
    // English digit grouping: 1,500 kg and up.
    await expect(row(page, seeded[0]!.code).locator('td').nth(5).textContent()).resolves.toContain('1,500');
    expect(await auditRows('webapp.session', OFFICIAL_EN)).toHaveLength(1);
  });

  it('paints the dark theme from themeParams, and follows theme_changed', async () => {
    expect(await computed(page, 'body', 'backgroundColor')).toBe('rgb(23, 33, 43)');
    expect(await computed(page, 'body', 'color')).toBe('rgb(245, 245, 245)');
    expect(await computed(page, 'th', 'backgroundColor')).toBe('rgb(35, 46, 60)');
    expect(await page.evaluate<string>('document.documentElement.dataset.theme')).toBe('dark');
    const shot = join(dir, 'table-real-en-dark.png');
    await page.screenshot({ path: shot });
    console.log(`screenshot of the dark table (real server): ${shot}`);

    await telegramSends(page, 'theme_changed', { theme_params: LIGHT });
    await page.waitForFunction("getComputedStyle(document.body).backgroundColor === 'rgb(255, 255, 255)'");
  });
});

describe('someone who is not an official', () => {
  it('is refused by the server and told so in their own language, before any text came from the server', async () => {
    const exporter: TelegramPerson = { id: 731_710_000, first_name: 'Eksportir 1', language_code: 'en' };
    const context = await browser.newContext({ viewport: { width: 420, height: 800 }, locale: 'id-ID' });
    try {
      const page = await openPage(context, `${baseUrl}/app/${launch(exporter, LIGHT)}`);
      await page.getByTestId('error').waitFor();
      await expect(page.getByTestId('error').textContent()).resolves.toBe(EN.errorForbidden);
      expect(await auditRows('webapp.denied', exporter)).toHaveLength(1);
      expect(await auditRows('webapp.session', exporter)).toHaveLength(0);
    } finally {
      await context.close();
    }
  });
});
