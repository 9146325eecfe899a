/**
 * `npm run chat`: try Etalase without Telegram.
 *
 * Starts the real bot in this process (polling, embedded PGlite database, in-memory sessions) against
 * an in-process fake Bot API, and chats with it on the terminal: what you type is sent as a Telegram
 * update from the current identity, and what the bot sends to that identity is printed as it arrives.
 *
 * Input is handled strictly line by line: after each line the chat waits until the bot has handled the
 * update and gone quiet, so a piped script gives the same transcript every time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import readline from 'node:readline';
import type { Update } from 'telegraf/types';
import { startApp, type App } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { ChatKeyboards, renderCall, startPayloadOf, type ChatButton } from './chat-render.js';
import {
  callbackUpdate,
  contactUpdate,
  DEFAULT_TOKEN,
  FakeBotApi,
  inlineQueryUpdate,
  photoUpdate,
  textUpdate,
  type TestUser,
} from '../fake-bot-api/index.js';
import { stderrLogDestination } from './chat-log.js';
import { freePort, signedAppUrl } from './web-app-link.js';
import { buildWebapp } from '../../src/webapp/build.js';
import { existsSync } from 'node:fs';

const ADMIN_ID = 9001;
const DEFAULT_USER: TestUser = { id: 1001, first_name: 'Eksportir', language_code: 'id' };
/** Quiet time after the last bot call before the next input line is handled. */
const QUIET_MS = 150;
/** Longest wait for the bot to answer one line. */
const SETTLE_CAP_MS = 20_000;

const stdout = process.stdout;
// isTTY is declared boolean but is undefined when the stream is a pipe.
const interactive = Boolean(process.stdin.isTTY) && Boolean(stdout.isTTY);

const identities = new Map<number, TestUser>([
  [DEFAULT_USER.id, DEFAULT_USER],
  [ADMIN_ID, { id: ADMIN_ID, first_name: 'Admin', language_code: 'id' }],
]);
let me: TestUser = DEFAULT_USER;

const keyboards = new Map<number, ChatKeyboards>();
const keyboardsOf = (chatId: number): ChatKeyboards => {
  let kb = keyboards.get(chatId);
  if (!kb) {
    kb = new ChatKeyboards();
    keyboards.set(chatId, kb);
  }
  return kb;
};
const callbackChats = new Map<string, number>();
/** Messages that arrived for identities other than the current one, shown when you switch to them. */
const unseen = new Map<number, string[]>();
/** How many of those arrived since the last `(pesan untuk …)` line. */
const unseenSinceNotice = new Map<number, number>();

let rl: readline.Interface | undefined;
let prompting = false;
let lastActivity = Date.now();
let handlingLine = false;

function promptText(): string {
  return `👤 ${me.id} › `;
}

/** Prints a block without breaking the prompt line the user may be typing on. */
function print(text: string): void {
  if (interactive && prompting && rl) {
    readline.clearLine(stdout, 0);
    readline.cursorTo(stdout, 0);
    stdout.write(`${text}\n`);
    rl.prompt(true);
    return;
  }
  stdout.write(`${text}\n`);
}

function phoneOf(user: TestUser): string {
  return `62812${String(user.id % 100_000_000).padStart(8, '0')}`;
}

function describe(user: TestUser): string {
  const role = user.id === ADMIN_ID ? 'admin (ADMIN_TELEGRAM_IDS), bisa bertindak sebagai pejabat' : 'pengguna biasa (eksportir, atau pejabat setelah undangan)';
  return `${user.id} «${user.first_name}», bahasa Telegram ${user.language_code ?? '-'} — ${role}`;
}

// ---------------------------------------------------------------------------
// Watching the fake Bot API
// ---------------------------------------------------------------------------

function pump(api: FakeBotApi): void {
  if (api.calls.length === 0) return;
  // Take and forget in one synchronous step, so no call is lost or seen twice.
  const batch = api.calls.slice();
  api.clear();
  for (const call of batch) {
    if (call.method === 'getUpdates') continue;
    lastActivity = Date.now();
    const event = renderCall(call, keyboardsOf, (id) => callbackChats.get(id));
    if (!event) continue;
    if (event.chatId === me.id) {
      print(event.text);
    } else {
      const list = unseen.get(event.chatId) ?? [];
      list.push(event.text);
      unseen.set(event.chatId, list);
      unseenSinceNotice.set(event.chatId, (unseenSinceNotice.get(event.chatId) ?? 0) + 1);
    }
  }
}

function noticeOthers(): void {
  for (const [chatId, n] of unseenSinceNotice) print(`✉️  (${n} pesan untuk ${chatId})`);
  unseenSinceNotice.clear();
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Waits until the bot has handled `update` and sent nothing for QUIET_MS (at most SETTLE_CAP_MS). */
async function settle(api: FakeBotApi, app: App, update: Update): Promise<void> {
  const started = Date.now();
  lastActivity = started;
  for (;;) {
    pump(api);
    const handled = api.confirmedOffset > update.update_id && app.pipeline.busy === 0;
    if (handled && Date.now() - lastActivity >= QUIET_MS) break;
    if (Date.now() - started > SETTLE_CAP_MS) {
      print(`(bot belum selesai menjawab setelah ${SETTLE_CAP_MS / 1000} detik; lanjut)`);
      break;
    }
    await sleep(15);
  }
  pump(api);
  noticeOthers();
}

// ---------------------------------------------------------------------------
// Input
// ---------------------------------------------------------------------------

const HELP = [
  'Perintah chat (selain perintah bot seperti /start, /bantuan, /daftar):',
  '  #2            tekan tombol nomor 2 dari keyboard terakhir',
  '  #Lewati       tekan tombol yang labelnya memuat "Lewati"',
  '  /as <id> [id|en] [nama]   ganti identitas (9001 = admin); contoh: /as 9001, /as 1001 en',
  '  /photo [keterangan]       kirim foto (tiruan) dengan keterangan',
  '  /contact      bagikan kontak (nomor telepon) Anda sendiri',
  '  /inline KODE  ketik @bot KODE di chat mana pun (mode inline): hasil yang ditawarkan',
  '  /app          tautan lokal ke tabel tinjauan (Mini App), ditandatangani untuk identitas ini',
  '  /help-chat    daftar ini',
  '  /quit         berhenti (juga Ctrl-D)',
  'Tautan t.me/…?start=KODE dari bot: ketik /start KODE (atau tekan tombolnya bila berupa tombol).',
].join('\n');

function banner(dataDir: string, persistent: boolean): string {
  return [
    '════════════════════════════════════════════════════════════════',
    ' Etalase — coba bot tanpa Telegram',
    ' Bot yang sebenarnya berjalan di sini dengan Bot API tiruan dan',
    ` basis data tertanam (${persistent ? dataDir : 'sementara, dihapus saat keluar'}).`,
    '════════════════════════════════════════════════════════════════',
    'Identitas:',
    `  ${describe(identities.get(DEFAULT_USER.id) ?? DEFAULT_USER)}  ← aktif`,
    `  ${describe(identities.get(ADMIN_ID) ?? DEFAULT_USER)}`,
    HELP,
    '',
    'Ketik /start untuk mulai.',
  ].join('\n');
}

function switchIdentity(args: string[]): void {
  const [idArg, ...rest] = args;
  if (!idArg || !/^\d{1,15}$/.test(idArg) || Number(idArg) <= 0) {
    print('Pakai: /as <id angka> [id|en] [nama], misalnya /as 9001 atau /as 1001 en');
    return;
  }
  const id = Number(idArg);
  const known = identities.get(id);
  const user: TestUser = known ?? { id, first_name: id === ADMIN_ID ? 'Admin' : `Pengguna ${id}`, language_code: 'id' };
  const [lang, ...name] = rest;
  if (lang !== undefined) {
    if (/^[a-z]{2}$/i.test(lang)) user.language_code = lang.toLowerCase();
    else name.unshift(lang);
  }
  if (name.length > 0) user.first_name = name.join(' ');
  identities.set(id, user);
  me = user;
  print(`👤 Sekarang Anda: ${describe(user)}`);
  const missed = unseen.get(id) ?? [];
  unseen.delete(id);
  unseenSinceNotice.delete(id);
  if (missed.length > 0) {
    const shown = missed.slice(-10);
    print(`(${missed.length} pesan masuk untuk ${id} selama Anda menjadi identitas lain${missed.length > shown.length ? `; ${shown.length} terakhir` : ''}:)`);
    for (const text of shown) print(text);
  }
  rl?.setPrompt(promptText());
}

/** The update a button press sends, or undefined (after saying why) when it sends nothing. */
function pressUpdate(button: ChatButton): Update | undefined {
  const a = button.action;
  switch (a.kind) {
    case 'callback': {
      const u = callbackUpdate(me, a.data, { messageId: button.messageId });
      callbackChats.set(u.callback_query.id, me.id);
      return u;
    }
    case 'text':
      return textUpdate(me, a.text);
    case 'contact':
      return contactUpdate(me, { phone_number: phoneOf(me), user_id: me.id });
    case 'url': {
      const payload = startPayloadOf(a.url);
      if (payload !== undefined) return textUpdate(me, `/start ${payload}`);
      print(`🔗 ${a.url} (tautan luar; tidak dibuka di sini)`);
      return undefined;
    }
    case 'copy':
      print(`📋 disalin: ${a.text}`);
      return undefined;
    case 'web_app':
      printAppLink(a.url);
      return undefined;
    case 'unsupported':
      print(`Tombol «${button.label}» (${a.what}) tidak bisa ditekan di sini.`);
      return undefined;
  }
}

/** WEBAPP_URL of this run: the bot's own HTTP server on a free local port. */
let appUrl = '';

/** The Mini App opened as Telegram would for the current identity: open it in a browser. */
function printAppLink(url: string): void {
  print(`📊 Buka di peramban (berlaku 1 jam, untuk ${me.first_name} ${me.id}; hanya pejabat yang diizinkan):\n${signedAppUrl(url, DEFAULT_TOKEN, me, new Date())}`);
}

/** Handles one input line; returns false on /quit. */
async function handleLine(api: FakeBotApi, app: App, raw: string): Promise<boolean> {
  const line = raw.replace(/\r$/, '');
  if (line.trim() === '') return true;
  if (!interactive) print(`${promptText()}${line}`);
  const trimmed = line.trim();
  const [head = '', ...args] = trimmed.split(/\s+/);
  const command = head.toLowerCase();

  let update: Update | undefined;
  if (command === '/quit' || command === '/exit') return false;
  if (command === '/help-chat') {
    print(HELP);
    return true;
  }
  if (command === '/app') {
    printAppLink(appUrl);
    return true;
  }
  if (command === '/as') {
    switchIdentity(args);
    return true;
  }
  if (command === '/inline') {
    // Inline mode: no chat, so nothing is sent to one; the offered results are printed instead.
    const queued = api.pushUpdate(inlineQueryUpdate(me, trimmed.slice(head.length).trim()));
    await settle(api, app, queued);
    const answer = 'inline_query' in queued ? api.inlineAnswer(queued.inline_query.id) : undefined;
    if (!answer) print('(bot tidak menjawab kueri inline itu)');
    for (const r of answer?.results ?? []) print(`🔎 ${r.title ?? r.id}${r.description ? `\n   ${r.description.replace(/\n/g, '\n   ')}` : ''}\n   ↳ ${(r.plainText ?? '').replace(/\n/g, '\n     ')}`);
    if (answer?.button) print(`   [${answer.button.text}]`);
    return true;
  }
  if (command === '/photo' || command === '/foto') {
    const caption = trimmed.slice(head.length).trim();
    update = photoUpdate(me, caption === '' ? {} : { caption });
  } else if (command === '/contact' || command === '/kontak') {
    update = contactUpdate(me, { phone_number: phoneOf(me), user_id: me.id });
  } else if (/^#\S/.test(trimmed)) {
    const ref = trimmed.slice(1);
    const kb = keyboardsOf(me.id);
    const button = kb.find(ref);
    if (!button) {
      const labels = kb.current().map((b) => `[${b.n}] ${b.label}`).join('  ');
      print(labels ? `Tidak ada tombol «${ref}». Tombol yang ada: ${labels}` : `Tidak ada tombol «${ref}»: belum ada keyboard.`);
      return true;
    }
    update = pressUpdate(button);
    if (!update) return true;
  } else {
    update = textUpdate(me, line);
  }

  keyboardsOf(me.id).userActed();
  const queued = api.pushUpdate(update);
  await settle(api, app, queued);
  return true;
}

// ---------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------

async function main(): Promise<number> {
  const persistent = Boolean(process.env.CHAT_DATA_DIR?.trim());
  const dataDir = persistent ? resolve(process.env.CHAT_DATA_DIR?.trim() ?? '') : mkdtempSync(join(tmpdir(), 'etalase-chat-'));
  const cleanupDir = () => {
    if (!persistent) rmSync(dataDir, { recursive: true, force: true });
  };

  print(`⏳ Menyalakan Etalase (basis data tertanam di ${dataDir})…`);
  const api = await FakeBotApi.start({ token: DEFAULT_TOKEN });
  // The Mini App on the bot's own HTTP server, as in production; the page is built once if missing.
  const port = await freePort();
  appUrl = `http://127.0.0.1:${port}/app/`;
  if (!existsSync(join('dist', 'webapp', 'index.html'))) await buildWebapp(join('dist', 'webapp'));
  // Only these keys: DATABASE_URL and REDIS_URL stay unset whatever the shell or .env says.
  const config = parseConfig({
    BOT_TOKEN: DEFAULT_TOKEN,
    TELEGRAM_API_ROOT: api.apiRoot,
    BOT_MODE: 'polling',
    PORT: String(port),
    HOST: '127.0.0.1',
    WEBAPP_URL: appUrl,
    WEBAPP_DIR: join('dist', 'webapp'),
    PGLITE_DIR: dataDir,
    // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing -- an empty CHAT_LOG_LEVEL must fall back to 'warn' too
    LOG_LEVEL: process.env.CHAT_LOG_LEVEL?.trim() || 'warn',
    SET_COMMANDS: 'false',
    ADMIN_TELEGRAM_IDS: String(ADMIN_ID),
    SEND_RATE_PER_SEC: '25',
    REMINDER_TICK_SECONDS: '5',
  });
  const log = createLogger(config, stderrLogDestination());

  let app: App;
  try {
    app = await startApp(config, { log, pollingTimeoutSeconds: 1 });
  } catch (err) {
    process.stderr.write(`Etalase tidak bisa dinyalakan: ${err instanceof Error ? err.message : String(err)}\n`);
    await api.close();
    cleanupDir();
    return 1;
  }
  await api.waitForPolling(30_000).catch(() => undefined);
  pump(api);
  print(banner(dataDir, persistent));

  // Created after start-up and iterated at once: lines piped in early wait in the iterator's buffer.
  const input = readline.createInterface({ input: process.stdin, output: stdout, terminal: interactive, prompt: promptText() });
  rl = input;
  const lines = input[Symbol.asyncIterator]();
  input.on('SIGINT', () => { input.close(); });
  process.once('SIGTERM', () => { input.close(); });
  process.once('SIGINT', () => { input.close(); });

  // Messages that arrive between lines (reminders, broadcasts, other jobs).
  const background = setInterval(() => {
    if (handlingLine) return;
    pump(api);
    if (unseenSinceNotice.size > 0 && Date.now() - lastActivity >= 300) noticeOthers();
  }, 50);

  try {
    for (;;) {
      if (interactive) {
        prompting = true;
        input.prompt();
      }
      const next = await lines.next();
      prompting = false;
      if (next.done) {
        if (interactive) stdout.write('\n'); // Ctrl-D leaves the cursor on the prompt line
        break;
      }
      handlingLine = true;
      let keepGoing: boolean;
      try {
        keepGoing = await handleLine(api, app, next.value);
      } finally {
        handlingLine = false;
      }
      if (!keepGoing) break;
    }
  } finally {
    clearInterval(background);
    input.close();
    print('⏹  Menghentikan bot…');
    await app.stop().catch((err: unknown) => process.stderr.write(`bot tidak berhenti dengan rapi: ${String(err)}\n`));
    pump(api);
    await api.close();
    cleanupDir();
  }
  print('Sampai jumpa.');
  return 0;
}

process.on('unhandledRejection', (err) => {
  process.stderr.write(`unhandled rejection: ${err instanceof Error ? err.message : String(err)}\n`);
});

main().then(
  (code) => stdout.write('', () => process.exit(code)),
  (err: unknown) => {
    process.stderr.write(`chat gagal: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
