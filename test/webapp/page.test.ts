import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWebapp, GZIP_BUDGET_BYTES } from '../../src/webapp/build.js';
import { en } from '../../src/locales/en.js';
import { id } from '../../src/locales/id.js';
import { DARK, LIGHT, launchChromium, mainButtonShows, openPage as open, row, telegramSends, tgEvents } from './browser.js';
import { CAMPAIGN_ID, launchFragment, startStubApi, stockAgeHours, type StubApi } from './stub-api.js';

const ID = id.webapp;
const EN = en.webapp;

/**
 * The Mini App in a real headless browser (Debian's chromium driven by playwright-core) against a
 * stub API with 300 entries: what the page does on its own (virtualisation, sorting, filtering, the
 * races a real server cannot be made to lose on cue). The bundle is built into a temporary folder and
 * opened with launch parameters in the URL fragment as Telegram does; the Telegram client is played
 * by `window.TelegramWebviewProxy` (see browser.ts). real-server.test.ts runs the page against src/web
 * and Postgres.
 */
const ROWS = 300;
/** The page's poll interval (src/webapp/components/App.tsx POLL_MS; a .tsx the tests' program cannot import). */
const POLL_MS = 5000;

let dir: string;
let stub: StubApi;
let browser: Browser;

function openPage(context: BrowserContext, path: string, fragment: string): Promise<Page> {
  return open(context, `${stub.url}${path}${fragment}`);
}

async function shownCount(page: Page): Promise<number> {
  return Number(await page.getByTestId('table').getAttribute('data-shown'));
}

async function search(page: Page, text: string, expectShown?: number): Promise<void> {
  await page.getByTestId('search').fill(text);
  if (expectShown !== undefined) await page.locator(`[data-testid=table][data-shown="${expectShown}"]`).waitFor();
}

beforeAll(async () => {
  browser = await launchChromium();
  dir = mkdtempSync(join(tmpdir(), 'etalase-webapp-'));
  const built = await buildWebapp(join(dir, 'webapp'));
  expect(built.gzip.total).toBeLessThan(GZIP_BUDGET_BYTES);
  stub = await startStubApi(built.outDir, ROWS);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stub?.close();
  // The screenshots stay for a look; the bundle and the rest go.
  if (dir !== undefined) rmSync(join(dir, 'webapp'), { recursive: true, force: true });
});

describe('the review table in Indonesian, light theme', () => {
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'id-ID' });
    page = await openPage(context, '/app/', launchFragment({ lang: 'id', theme: LIGHT }));
  });
  afterAll(async () => {
    await context?.close();
  });

  it('signs in with initData, tells Telegram it is ready, then offers the campaigns', async () => {
    await page.getByTestId('campaign').first().waitFor();
    expect(stub.sessions).toHaveLength(1);
    expect(new URLSearchParams(stub.sessions[0]).get('hash')).toMatch(/^[0-9a-f]{64}$/);
    const types = (await tgEvents(page)).map((e) => e.type);
    expect(types).toContain('web_app_ready');
    expect(types).toContain('web_app_expand');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(ID.pickCampaign);
    await page.getByTestId('campaign').first().click();
    await page.getByTestId('row').first().waitFor();
  });

  it('renders the header and only the rows in view of 300 (virtualised)', async () => {
    await expect(page.getByTestId('campaign-title').textContent()).resolves.toContain('Harbolnas');
    await expect(page.getByTestId('phase').textContent()).resolves.toBe(id.phases.review);
    await expect(page.getByTestId('chosen').textContent()).resolves.toBe('0 dari maks. 3 dipilih');
    expect(await page.getByTestId('table').getAttribute('data-total')).toBe(String(ROWS));
    expect(await shownCount(page)).toBe(ROWS);
    const rendered = await page.getByTestId('row').count();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(ROWS);
    expect(await page.getByTestId('row').first().getAttribute('data-code')).toBe('EXP-0001');
    // Indonesian digit grouping: EXP-0005 commits 3,500 kg, written 3.500.
    await expect(row(page, 'EXP-0005').locator('td').nth(5).textContent()).resolves.toContain('3.500');
    await expect(page.getByTestId('sort-code').textContent()).resolves.toContain(ID.colCode);

    const shot = join(dir, 'table-id-light.png');
    await page.screenshot({ path: shot });
    console.log(`screenshot of the table: ${shot}`);
  });

  it('sorts by stock age, both ways', async () => {
    const ages = Array.from({ length: ROWS }, (_, i) => stockAgeHours(i));
    const freshest = ages.reduce<number>((best, a, i) => (a !== null && a < (ages[best] ?? Infinity) ? i : best), 0);
    const freshestCode = `EXP-${String(freshest + 1).padStart(4, '0')}`;
    expect(freshestCode).not.toBe('EXP-0001');

    // Scrolled far down first: a new order starts at its top (only a window of rows is in the DOM).
    await page.evaluate("document.querySelector('[data-testid=table-scroller]').scrollTop = 4000");
    await page.locator('[data-testid=row][data-index="0"]').waitFor({ state: 'detached' });
    await page.getByTestId('sort-stockAge').click();
    await page.locator(`[data-testid=row][data-index="0"][data-code="${freshestCode}"]`).waitFor();
    expect(await page.getByTestId('sort-stockAge').getAttribute('data-dir')).toBe('asc');
    expect(await page.locator('th[aria-sort="ascending"]').count()).toBe(1);

    // Descending: the entries that never reported come first (the oldest of all).
    await page.getByTestId('sort-stockAge').click();
    await page.locator('[data-testid=row][data-index="0"][data-code="EXP-0010"]').waitFor();
    await expect(page.getByTestId('row').first().getByTestId('stock-age').textContent()).resolves.toBe(ID.noStock);

    await page.getByTestId('sort-code').click();
    await page.locator('[data-testid=row][data-index="0"][data-code="EXP-0001"]').waitFor();
  });

  it('filters to ready entries, by province, and searches by code and by name', async () => {
    await page.getByTestId('filter-ready').check();
    await page.locator(`[data-testid=table][data-shown="${(ROWS * 2) / 3}"]`).waitFor();
    expect(await page.locator('[data-testid=row]:not(.is-ready)').count()).toBe(0);
    await page.getByTestId('filter-province').selectOption('Bali');
    await page.locator(`[data-testid=table][data-shown="${(ROWS * 2) / 3 / 5}"]`).waitFor();
    await page.getByTestId('filter-province').selectOption('');
    await page.getByTestId('filter-ready').uncheck();
    await page.locator(`[data-testid=table][data-shown="${ROWS}"]`).waitFor();

    await search(page, 'exp-0123', 1);
    expect(await page.getByTestId('row').first().getAttribute('data-code')).toBe('EXP-0123');
    await search(page, 'Batik Tulis 4');
    await page.locator('[data-testid=row][data-code="EXP-0004"]').waitFor();
    for (const name of await page.locator('[data-testid=row] td.c-product').allTextContents()) expect(name).toContain('Batik Tulis 4');
  });

  it('opens the panel and picks with the row version; the main button is the pick', async () => {
    await search(page, 'EXP-0123', 1);
    await row(page, 'EXP-0123').click();
    await page.getByTestId('panel-detail').waitFor();
    await page.locator('[data-testid=stock-chart] canvas').first().waitFor();
    await expect(page.getByTestId('certifications').textContent()).resolves.toBe('Halal MUI, SNI');
    await expect(page.getByTestId('contact').textContent()).resolves.toContain('ekspor@example.co.id');
    await mainButtonShows(page, ID.pick);

    await page.getByTestId('btn-pick').click();
    await page.getByTestId('btn-undo').waitFor();
    expect(stub.decisions.at(-1)).toEqual({ entryId: 123, body: { action: 'shortlist', version: 1 } });
    await expect(page.getByTestId('notice').textContent()).resolves.toBe(ID.saved_shortlist);
    await expect(row(page, 'EXP-0123').getByTestId('decision').textContent()).resolves.toContain('🏆');
    await expect(page.getByTestId('chosen').textContent()).resolves.toBe('1 dari maks. 3 dipilih');
    // Decided: the main button goes away.
    const last = (await tgEvents(page)).filter((e) => e.type === 'web_app_setup_main_button').at(-1);
    expect(last?.data?.is_visible).toBe(false);
    await page.screenshot({ path: join(dir, 'panel-id-light.png') });
    await page.getByTestId('panel-close').click();
    await page.getByTestId('panel').waitFor({ state: 'detached' });
  });

  it('asks for a second confirmation before picking an entry that is not ready', async () => {
    await search(page, 'EXP-0124', 1);
    await row(page, 'EXP-0124').click();
    await page.getByTestId('btn-pick').click();
    await page.getByTestId('confirm').waitFor();
    await expect(page.getByTestId('confirm').textContent()).resolves.toContain('Belum siap');
    await page.getByTestId('btn-confirm').click();
    await page.getByTestId('btn-undo').waitFor();
    expect(stub.decisions.slice(-2)).toEqual([
      { entryId: 124, body: { action: 'shortlist', version: 1 } },
      { entryId: 124, body: { action: 'shortlist', version: 1, confirmNotReady: true } },
    ]);
    await page.keyboard.press('Escape');
    await page.getByTestId('panel').waitFor({ state: 'detached' });
  });

  it('shows the current state when the entry was decided meanwhile (409 stale)', async () => {
    await search(page, 'EXP-0200', 1);
    await row(page, 'EXP-0200').click();
    await page.getByTestId('panel-detail').waitFor();
    stub.decideElsewhere(200, 'rejected', true);
    await telegramSends(page, 'main_button_pressed', null);
    await page.locator('[data-testid=panel][data-decision="rejected"][data-version="2"]').waitFor();
    expect(stub.decisions.at(-1)).toEqual({ entryId: 200, body: { action: 'shortlist', version: 1 } });
    await expect(page.getByTestId('notice').textContent()).resolves.toContain(ID.decision_rejected);
    await expect(row(page, 'EXP-0200').getByTestId('decision').textContent()).resolves.toContain('✖️');
    expect(await page.getByTestId('btn-pick').count()).toBe(0);
    await page.getByTestId('panel-close').click();
  });

  it('merges a decision made elsewhere from the changes feed', async () => {
    await search(page, 'EXP-0005', 1);
    stub.decideElsewhere(5, 'shortlisted');
    await page.locator('[data-testid=row][data-code="EXP-0005"][data-version="2"]').waitFor({ timeout: 15_000 });
    await expect(row(page, 'EXP-0005').getByTestId('decision').textContent()).resolves.toContain('🏆');
    await expect(page.getByTestId('chosen').textContent()).resolves.toBe('3 dari maks. 3 dipilih');
  });

  it('opens the XLSX report link through Telegram', async () => {
    await page.getByTestId('report').click();
    await page.waitForFunction(`window.__tgEvents.some((e) => e.type === 'web_app_open_link' && e.data.url.includes('/campaigns/${CAMPAIGN_ID}/report.xlsx'))`);
  });

  it('says so when the session ends, and stops polling (each refused poll counts against the rate limit)', async () => {
    stub.endSessions();
    await page.getByTestId('banner').waitFor({ timeout: 15_000 });
    await expect(page.getByTestId('banner').textContent()).resolves.toBe(ID.errorSession);
    const polls = stub.changesCalls();
    // Longer than one poll interval (POLL_MS, 5 s): a page still polling would have called again.
    await page.waitForTimeout(POLL_MS + 1500);
    expect(stub.changesCalls()).toBe(polls);
  });
});

describe('the review table in English, dark theme', () => {
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB', colorScheme: 'dark' });
    page = await openPage(context, `/app/?campaign=${CAMPAIGN_ID}`, launchFragment({ lang: 'en', theme: DARK, userId: 4343 }));
    await page.getByTestId('row').first().waitFor();
  });
  afterAll(async () => {
    await context?.close();
  });

  it('opens the campaign from ?campaign= with English labels and numbers', async () => {
    await expect(page.getByTestId('sort-code').textContent()).resolves.toContain(EN.colCode);
    await expect(page.getByTestId('sort-stockAge').textContent()).resolves.toContain(EN.colStockAge);
    await expect(page.locator('label', { has: page.getByTestId('filter-ready') }).textContent()).resolves.toContain(EN.filterReady);
    await expect(page.getByTestId('chosen').textContent()).resolves.toMatch(/^\d of max 3 chosen$/);
    await expect(row(page, 'EXP-0005').locator('td').nth(5).textContent()).resolves.toContain('3,500');
    expect(await page.evaluate<string>('document.documentElement.lang')).toBe('en');
  });

  it('paints the dark theme from themeParams and follows theme_changed', async () => {
    expect(await page.evaluate<string>('getComputedStyle(document.body).backgroundColor')).toBe('rgb(23, 33, 43)');
    expect(await page.evaluate<string>('getComputedStyle(document.body).color')).toBe('rgb(245, 245, 245)');
    expect(await page.evaluate<string>("getComputedStyle(document.querySelector('th')).backgroundColor")).toBe('rgb(35, 46, 60)');
    const shot = join(dir, 'table-en-dark.png');
    await page.screenshot({ path: shot });
    console.log(`screenshot of the dark table: ${shot}`);

    await telegramSends(page, 'theme_changed', { theme_params: LIGHT });
    await page.waitForFunction("getComputedStyle(document.body).backgroundColor === 'rgb(255, 255, 255)'");
  });
});
