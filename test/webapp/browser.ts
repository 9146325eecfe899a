import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * The browser the Mini App tests drive: Debian's chromium (never a downloaded one), headless, with
 * everything that would phone home switched off. One launch per test file; each test opens contexts.
 */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the Mini App tests need Debian's chromium (apt-get install -y chromium).`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** Telegram Desktop's default themes, as the client sends them in `tgWebAppThemeParams`. */
export const LIGHT = { bg_color: '#ffffff', text_color: '#000000', hint_color: '#707579', link_color: '#2481cc', button_color: '#2481cc', button_text_color: '#ffffff', secondary_bg_color: '#f1f1f4' };
export const DARK = { bg_color: '#17212b', text_color: '#f5f5f5', hint_color: '#708499', link_color: '#6ab3f3', button_color: '#5288c1', button_text_color: '#ffffff', secondary_bg_color: '#232e3c' };

/**
 * The Telegram client, as the page sees it on desktop and mobile: `window.TelegramWebviewProxy`,
 * whose `postEvent` is recorded here. Telegram answers through `window.Telegram.WebView.receiveEvent`
 * (the bridge defines it), see `telegramSends`.
 */
const TELEGRAM_CLIENT = `
  window.__tgEvents = [];
  window.TelegramWebviewProxy = {
    postEvent(type, data) { window.__tgEvents.push({ type, data: data ? JSON.parse(data) : null }); },
  };
`;

export interface TgEvent {
  type: string;
  data: Record<string, unknown> | null;
}

/** The URL fragment Telegram opens a Mini App with (each value encodeURIComponent'ed, as the clients do). */
export function launchFragment(initData: string, theme: Record<string, string>, version = '8.0'): string {
  const params: [string, string][] = [
    ['tgWebAppData', initData],
    ['tgWebAppVersion', version],
    ['tgWebAppPlatform', 'tdesktop'],
    ['tgWebAppThemeParams', JSON.stringify(theme)],
  ];
  return `#${params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`;
}

export async function openPage(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (e) => {
    console.error('[page error]', e.message);
  });
  await page.addInitScript(TELEGRAM_CLIENT);
  await page.goto(url);
  return page;
}

export function tgEvents(page: Page): Promise<TgEvent[]> {
  return page.evaluate<TgEvent[]>('window.__tgEvents');
}

/** Telegram sends the page an event (`main_button_pressed`, `theme_changed` …). */
export function telegramSends(page: Page, type: string, data: unknown): Promise<void> {
  return page.evaluate(`window.Telegram.WebView.receiveEvent(${JSON.stringify(type)}, ${JSON.stringify(data)})`);
}

/** Waits until the page has told Telegram to show the main button with this text. */
export async function mainButtonShows(page: Page, text: string): Promise<void> {
  await page.waitForFunction(
    `window.__tgEvents.some((e) => e.type === 'web_app_setup_main_button' && e.data.is_visible === true && e.data.text === ${JSON.stringify(text)})`,
  );
}

export function row(page: Page, code: string) {
  return page.locator(`[data-testid=row][data-code="${code}"]`);
}

export async function computed(page: Page, selector: string, property: 'backgroundColor' | 'color'): Promise<string> {
  return page.evaluate<string>(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).${property}`);
}
