/**
 * `npm run chat`'s Mini App: a free local port for the bot's HTTP server, and the app's URL signed for
 * the chat's current identity, with launch parameters in the fragment as Telegram passes them. For
 * development only: it signs with the fake Bot API's token, which no real bot has.
 */
import { createServer } from 'node:net';
import { signInitData } from '../../src/web/index.js';
import type { TestUser } from '../fake-bot-api/index.js';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => { resolve(port); });
    });
  });
}

/** Telegram's light theme, so the page looks as it does in the app. */
const THEME = { bg_color: '#ffffff', text_color: '#000000', hint_color: '#707579', link_color: '#2481cc', button_color: '#2481cc', button_text_color: '#ffffff', secondary_bg_color: '#f1f1f4' };

/** `appUrl` is a web_app button's URL (it may carry `?campaign=`) or WEBAPP_URL itself. */
export function signedAppUrl(appUrl: string, botToken: string, user: TestUser, now: Date): string {
  const initData = signInitData(
    { id: user.id, first_name: user.first_name, ...(user.username ? { username: user.username } : {}), ...(user.language_code ? { language_code: user.language_code } : {}) },
    botToken,
    now,
  );
  const fragment = new URLSearchParams({ tgWebAppData: initData, tgWebAppVersion: '8.0', tgWebAppPlatform: 'web', tgWebAppThemeParams: JSON.stringify(THEME) });
  return `${appUrl.split('#')[0] ?? appUrl}#${fragment.toString()}`;
}
