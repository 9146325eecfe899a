/**
 * Bounded fuzz test: two exporters and an official send random commands, texts, button presses (own,
 * stale, forged), contacts and photos to the real bot (real Postgres and Redis, fake Bot API). After
 * every step cheap invariants are checked on the new Bot API calls; at the end all recorded calls are
 * checked again and the database is checked against its constraints.
 *
 * Replay: FUZZ_SEED=<seed printed by the run> FUZZ_STEPS=<n> npx vitest run test/fuzz
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Update } from 'telegraf/types';
import { createCampaign, type Campaign } from '../../src/services/campaigns.js';
import { createLogger } from '../../src/logger.js';
import { callbackUpdate, contactUpdate, photoUpdate, textUpdate, type RecordedCall, type TestUser } from '../support/fake-bot-api.js';
import { makeUser, startTestBot, type TestBot } from '../support/harness.js';
import { addProduct } from '../support/exporter.js';
import { answerFor, flowCommandFor, makePlan, type Action, type Step } from './plan.js';
import { checkCall, leakIn, type Marker } from './invariants.js';

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const STEPS = process.env.FUZZ_STEPS ? Number(process.env.FUZZ_STEPS) : 2000;
const GROUP_CHAT = -4_000_000_001;
const MAX_VIOLATIONS = 25;
/** FUZZ_TRACE=<file> writes every step and the bot's answers to that file. */
const TRACE = process.env.FUZZ_TRACE;
const trace: string[] = [];

interface Exporter { user: TestUser; nib: string; phone: string; nsn: string; stock: string; codes: string[] }

const A: Exporter = {
  user: makeUser({ first_name: 'Eksportir A', language_code: 'id' }),
  nib: '9120260417001',
  phone: '0857-4141-0417',
  nsn: '85741410417',
  stock: '7.317',
  codes: [],
};
const B: Exporter = {
  user: makeUser({ first_name: 'Exporter B', language_code: 'en' }),
  nib: '9120260829002',
  phone: '0878-2929-0829',
  nsn: '87829290829',
  stock: '4.629',
  codes: [],
};
const OFFICIAL: TestUser = makeUser({ first_name: 'Bu Retno', language_code: 'id' });
const USERS: readonly TestUser[] = [A.user, B.user, OFFICIAL];

/** A contact person's name no other text of the bot contains. */
const contactOf = (e: Exporter): string => `Kontak Rahasia ${e.nsn.slice(-4)}`;

/** What only exporter A (resp. B) may see; officials may see both. */
const markersOf = (e: Exporter): Marker[] => [
  { name: `${e.user.first_name} NIB`, digits: e.nib },
  { name: `${e.user.first_name} phone`, digits: e.nsn },
  { name: `${e.user.first_name} stock level`, text: `${e.stock} kg` },
  { name: `${e.user.first_name} stock level`, text: `${e.stock.replace('.', ',')} kg` },
  { name: `${e.user.first_name} contact person`, text: contactOf(e) },
];

let bot: TestBot;
const errorLogs: string[] = [];
const campaigns: Campaign[] = [];

async function registerWithMarkers(e: Exporter): Promise<void> {
  const u = e.user;
  await bot.send(u, '/daftar');
  for (const answer of [`PT ${u.first_name}`, e.nib, 'Jawa Timur', 'Malang', e.phone]) await bot.send(u, answer);
  await bot.pressButton(u, /Lewati|Skip/);
  await bot.send(u, contactOf(e));
  await bot.pressButton(u, /Simpan|Save/);
  if (!/tersimpan|saved/i.test(bot.lastTextTo(u))) throw new Error(`registration failed: ${bot.lastTextTo(u)}`);
}

async function join(u: TestUser, code: string, qty: string): Promise<void> {
  await bot.send(u, '/ikut');
  // With two open campaigns the bot asks for the campaign first.
  if (!bot.buttonsOf(u).some((b) => b.includes(code))) await bot.pressButton(u, /.+/);
  await bot.pressButton(u, new RegExp(code));
  await bot.send(u, qty);
  await bot.pressButton(u, /Simpan|Save/);
  if (bot.buttonsOf(u).some((b) => /sanggup|can deliver/i.test(b))) await bot.pressButton(u, /sanggup|can deliver/i);
}

async function rows(query: ReturnType<typeof sql>): Promise<Record<string, unknown>[]> {
  const r: unknown = await bot.app.database.db.execute(query);
  if (Array.isArray(r)) return r as Record<string, unknown>[];
  if (typeof r === 'object' && r !== null && 'rows' in r && Array.isArray(r.rows)) return r.rows as Record<string, unknown>[];
  throw new Error(`unexpected result shape from execute: ${typeof r}`);
}

beforeAll(async () => {
  const sink = {
    write(line: string) {
      try {
        const rec = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string; stack?: string } };
        if ((rec.level ?? 0) >= 50) {
          const stack = rec.err?.stack ?? rec.err?.message ?? '';
          // The first lines and any "caused by" part say what happened; the middle is telegraf's frames.
          const cause = stack.indexOf('caused by');
          errorLogs.push(`${rec.msg ?? ''}: ${stack.slice(0, 900)}${cause > 900 ? `\n  … ${stack.slice(cause, cause + 600)}` : ''}`);
        }
      } catch {
        errorLogs.push(line.slice(0, 500));
      }
    },
  };
  const log = createLogger({ LOG_LEVEL: 'warn', LOG_FORMAT: 'json', NODE_ENV: undefined }, sink);
  bot = await startTestBot({ env: { ADMIN_TELEGRAM_IDS: String(OFFICIAL.id), REMINDER_TICK_SECONDS: '3600' }, log });
  await bot.send(OFFICIAL, '/start');
  for (const [e, names] of [
    [A, ['Kopi Gayo Rahasia', 'Kopi Toraja Murni']],
    [B, ['Kopi Kintamani Bali']],
  ] as const) {
    await registerWithMarkers(e);
    for (const name of names) e.codes.push(await addProduct(bot, e.user, name, { capacity: '10000' }));
  }
  // Without separators, so that both languages read the same number.
  await bot.send(A.user, `/stok ${A.codes[0]} ${A.stock.replace('.', '')}`);
  await bot.send(A.user, `/stok ${A.codes[1]} 2000`);
  await bot.send(B.user, `/stok ${B.codes[0]} ${B.stock.replace('.', '')}`);
  const now = new Date();
  for (const [title, days] of [['Tmall 11.11 Kopi', 5], ['Alibaba Kopi Nusantara', 9]] as const) {
    const r = await createCampaign(
      bot.app.database.db,
      BigInt(OFFICIAL.id),
      {
        title,
        market: 'Tmall Global',
        description: 'Kopi spesialti',
        targetCategories: ['coffee'],
        registrationDeadline: new Date(now.getTime() + days * 86_400_000),
        stockDeadline: new Date(now.getTime() + (days + 5) * 86_400_000),
        eventAt: new Date(now.getTime() + (days + 15) * 86_400_000),
        maxShortlist: 2,
        freshnessDays: 7,
      },
      now,
    );
    if (!r.ok) throw new Error(`createCampaign: ${r.error}`);
    campaigns.push(r.value);
  }
  try {
    await join(A.user, A.codes[0]!, '1000');
    await join(B.user, B.codes[0]!, '9000'); // above stock and capacity: needs the "I can deliver" confirmation
  } catch (e) {
    throw new Error(`setup: joining failed: ${String(e)}\n${[A.user, B.user].map((u) => bot.textsTo(u).slice(-5).join('\n---\n')).join('\n=====\n')}\nerrors logged:\n${errorLogs.join('\n')}`);
  }
  const subs = await rows(sql`select count(*)::int as n from submissions`);
  if (Number(subs[0]?.n) < 2) throw new Error(`setup: expected 2 submissions, got ${JSON.stringify(subs)}\n${bot.textsTo(B.user).slice(-6).join('\n---\n')}`);
  if (errorLogs.length > 0) throw new Error(`setup logged errors:\n${errorLogs.join('\n')}`);
}, 120_000);

afterAll(async () => bot?.stop());

// ---------------------------------------------------------------------------------------------------

interface Keyboard { messageId: number; data: string[] }

/** Inline keyboards each chat has seen, oldest first (from sends and edits that Telegram accepted). */
function keyboardsOf(chatId: number): Keyboard[] {
  const out: Keyboard[] = [];
  for (const c of bot.api.calls) {
    if (!c.response.ok || Number(c.params.chat_id) !== chatId) continue;
    if (!['sendMessage', 'sendPhoto', 'sendDocument', 'editMessageText', 'editMessageReplyMarkup', 'editMessageCaption'].includes(c.method)) continue;
    const markup = c.params.reply_markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined;
    if (!markup?.inline_keyboard) continue;
    const result = c.response.result as { message_id?: number } | undefined;
    const data = markup.inline_keyboard.flat().flatMap((b) => (typeof b.callback_data === 'string' ? [b.callback_data] : []));
    if (data.length > 0) out.push({ messageId: Number(c.params.message_id ?? result?.message_id), data });
  }
  return out;
}

function lastMessageId(chatId: number): number {
  const all = bot.api.messagesTo(chatId);
  return all[all.length - 1]?.messageId ?? 1;
}

async function idsFor(): Promise<{ pids: number[]; sids: number[]; cids: number[] }> {
  const p = await rows(sql`select id from products order by id`);
  const s = await rows(sql`select id from submissions order by id`);
  const c = await rows(sql`select id from campaigns order by id`);
  return { pids: p.map((r) => Number(r.id)), sids: s.map((r) => Number(r.id)), cids: c.map((r) => Number(r.id)) };
}

function fill(template: string, ids: { pids: number[]; sids: number[]; cids: number[] }, a: number, b: number, runs: string[]): string {
  const from = (xs: number[]): string => (a % 3 === 2 || xs.length === 0 ? String(a) : String(xs[a % xs.length]));
  return template
    .replaceAll('%PID%', from(ids.pids))
    .replaceAll('%SID%', from(ids.sids))
    .replaceAll('%CID%', from(ids.cids))
    .replaceAll('%UID%', String(USERS[a % USERS.length]!.id))
    .replaceAll('%RUN%', runs.length > 0 ? runs[a % runs.length]! : 'zz')
    .replaceAll('%BIG%', ['2147483648', '9007199254740993', '9'.repeat(40)][a % 3]!)
    .replaceAll('%A%', String(a))
    .replaceAll('%B%', String(b));
}

function substitute(text: string): string {
  const codes = [...A.codes, ...B.codes];
  let out = text.replaceAll('%SLUG%', campaigns[0]?.slug ?? 'none');
  for (let i = 0; i < 4; i++) {
    const c = codes[i] ?? codes[0] ?? 'KOPI-01';
    out = out.replaceAll(`%CODE${i}%`, c).replaceAll(`%code${i}%`, c.toLowerCase());
  }
  return out;
}

const PREFERRED = /Simpan|Save|Lewati|Skip|Selesai|Done|sanggup|can deliver|^(?:✅ )?Ya|Yes|Pilih|Choose|Umumkan|Publish|Kirim|Send|Konfirmasi|Confirm|Ikut|Join|Kopi|Coffee|^kg$/;

/** Turns an abstract step into the update to send (or null when there is nothing to press). */
async function buildUpdate(u: TestUser, action: Action): Promise<{ update: Update; describe: string } | null> {
  switch (action.kind) {
    case 'command':
    case 'text': {
      const text = substitute(action.text);
      return { update: textUpdate(u, text), describe: `${action.kind} ${JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}… (${text.length} chars)` : text)}` };
    }
    case 'groupCheck': {
      const text = substitute(action.text);
      return { update: textUpdate(u, text, { chatType: 'group', chatId: GROUP_CHAT }), describe: `group ${JSON.stringify(text.slice(0, 200))}` };
    }
    case 'press': {
      const kbs = keyboardsOf(u.id);
      const kb = kbs[kbs.length - 1];
      if (!kb) return null;
      const data = kb.data[action.pick % kb.data.length]!;
      return { update: callbackUpdate(u, data, { messageId: kb.messageId }), describe: `press ${JSON.stringify(data)} on #${kb.messageId}` };
    }
    case 'advance': {
      const last = bot.api.messagesTo(u.id).at(-1);
      if (!last) return { update: textUpdate(u, '/start'), describe: 'advance: /start' };
      const markup = last.replyMarkup as { inline_keyboard?: { text: string; callback_data?: string }[][] } | undefined;
      const buttons = (markup?.inline_keyboard ?? []).flat().filter((b) => typeof b.callback_data === 'string');
      const forward = buttons.filter((b) => !/Kembali|Back|Batal|Cancel|✖️/.test(b.text));
      if (forward.length > 0 && action.variant % 5 !== 0) {
        const preferred = forward.filter((b) => PREFERRED.test(b.text));
        const pool = preferred.length > 0 && action.variant % 3 !== 0 ? preferred : forward;
        const b = pool[action.pick % pool.length]!;
        return {
          update: callbackUpdate(u, b.callback_data!, { messageId: last.messageId }),
          describe: `advance: press ${JSON.stringify(b.text)} (${JSON.stringify(b.callback_data)}) on #${last.messageId}`,
        };
      }
      if (!last.plainText.includes('?')) {
        // Not a question: open something instead of talking to the void.
        const text = substitute(`/${flowCommandFor(u === OFFICIAL, action.pick)}`);
        return { update: textUpdate(u, text), describe: `advance: command ${JSON.stringify(text)}` };
      }
      const text = substitute(answerFor(last.plainText, action.pick, action.variant));
      return { update: textUpdate(u, text), describe: `advance: text ${JSON.stringify(text.slice(0, 200))}` };
    }
    case 'stale': {
      const kbs = keyboardsOf(u.id);
      if (kbs.length < 2) return null;
      const kb = kbs[Math.max(0, kbs.length - 2 - (action.age % (kbs.length - 1)))]!;
      const data = kb.data[action.pick % kb.data.length]!;
      return { update: callbackUpdate(u, data, { messageId: kb.messageId }), describe: `stale press ${JSON.stringify(data)} on #${kb.messageId}` };
    }
    case 'forgedOther': {
      const others = USERS.filter((x) => x.id !== u.id);
      const other = others[action.other % others.length]!;
      const kbs = keyboardsOf(other.id);
      if (kbs.length === 0) return null;
      const kb = kbs[Math.max(0, kbs.length - 1 - (action.age % kbs.length))]!;
      const data = kb.data[action.pick % kb.data.length]!;
      const own = keyboardsOf(u.id);
      const messageId = own[own.length - 1]?.messageId ?? lastMessageId(u.id);
      return { update: callbackUpdate(u, data, { messageId }), describe: `forged press ${JSON.stringify(data)} (from ${other.first_name}'s keyboard) on #${messageId}` };
    }
    case 'forgedCrafted': {
      const ids = await idsFor();
      const runs = [...new Set(keyboardsOf(u.id).flatMap((k) => k.data).flatMap((d) => /^f:([^:]+):/.exec(d)?.[1] ?? []))];
      const data = fill(action.template, ids, action.a, action.b, runs).slice(0, 64);
      const own = keyboardsOf(u.id);
      const messageId = own[own.length - 1]?.messageId ?? lastMessageId(u.id);
      return { update: callbackUpdate(u, data, { messageId }), describe: `crafted press ${JSON.stringify(data)} on #${messageId}` };
    }
    case 'contact': {
      const mine = u.id === A.user.id ? A.phone : u.id === B.user.id ? B.phone : '0811-0000-0001';
      const other = USERS.find((x) => x.id !== u.id)!;
      const contact = action.own
        ? { phone_number: mine.replace(/\D/g, '').replace(/^0/, '62'), user_id: u.id }
        : action.withUserId
          ? { phone_number: '6281199990000', user_id: other.id, first_name: other.first_name }
          : { phone_number: '+62 812 0000 1111', first_name: 'Teman' };
      return { update: contactUpdate(u, contact), describe: `contact ${action.own ? 'own' : 'foreign'} ${JSON.stringify(contact)}` };
    }
    case 'photo': {
      const caption = action.caption === null ? undefined : substitute(action.caption);
      return {
        update: photoUpdate(u, caption === undefined ? {} : { caption }),
        describe: `photo${caption === undefined ? '' : ` caption ${JSON.stringify(caption.slice(0, 100))}`}`,
      };
    }
  }
}

describe('fuzz: random users, commands, texts and buttons', () => {
  it(`keeps every invariant for seed ${SEED} over ${STEPS} steps`, async () => {
    console.log(`[fuzz] seed=${SEED} steps=${STEPS} (replay: FUZZ_SEED=${SEED} FUZZ_STEPS=${STEPS} npx vitest run test/fuzz)`);
    const started = Date.now();
    const plan: Step[] = makePlan(SEED, STEPS);
    const violations: string[] = [];
    /** Violations grouped by kind (digits and quoted texts blurred), so one bug is reported once. */
    const kinds = new Map<string, number>();
    const recent: string[] = [];
    const checked = new WeakSet<RecordedCall>();
    const privateMarkers = new Map<number, Marker[]>([
      [A.user.id, markersOf(B)],
      [B.user.id, markersOf(A)],
    ]);
    const allMarkers = [...markersOf(A), ...markersOf(B)];
    const counts: Record<string, number> = {};

    const violation = (what: string, stepNo: number, chatId?: number): void => {
      const output =
        chatId === undefined
          ? ''
          : `\n  bot's last messages to ${chatId}:\n${bot.api
              .messagesTo(chatId)
              .slice(-3)
              .map((m) => `    [${m.method}] ${JSON.stringify((m.text ?? m.caption ?? '').slice(0, 400))}`)
              .join('\n')}`;
      const kind = what.replace(/"(?:[^"\\]|\\.){13,}"/g, '"…"').replace(/\d+/g, 'N').slice(0, 90);
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      if ((kinds.get(kind) ?? 0) > 1) return;
      violations.push(`seed=${SEED} step=${stepNo}: ${what}\n  recent steps:\n    ${recent.slice(-6).join('\n    ')}${output}`);
    };

    /** Checks calls not checked yet; `publicOnly` marks chats whose new messages must hold no private data at all. */
    const checkNewCalls = (stepNo: number, publicOnly: Set<number>): void => {
      for (const call of bot.api.calls) {
        if (checked.has(call)) continue;
        checked.add(call);
        for (const problem of checkCall(call)) violation(problem, stepNo, Number(call.params.chat_id));
        const chatId = Number(call.params.chat_id);
        const text = typeof call.params.text === 'string' ? call.params.text : typeof call.params.caption === 'string' ? call.params.caption : '';
        if (text === '') continue;
        // The group is public: nothing private at all. A /cek answer in a private chat: no NIB or phone of
        // anyone (its own stock level may arrive at the same moment in an availability alert).
        const forbidden =
          chatId === GROUP_CHAT ? allMarkers : publicOnly.has(chatId) ? allMarkers.filter((m) => m.digits !== undefined) : privateMarkers.get(chatId);
        const leak = forbidden ? leakIn(text, forbidden) : null;
        if (leak) violation(`${call.method} to ${chatId} leaks ${leak}: ${JSON.stringify(text.slice(0, 600))}`, stepNo, chatId);
      }
    };

    checkNewCalls(-1, new Set()); // what the setup produced
    for (const [i, step] of plan.entries()) {
      if (violations.length >= MAX_VIOLATIONS) break;
      const u = USERS[step.user]!;
      const built = await buildUpdate(u, step.action);
      counts[built ? step.action.kind : `${step.action.kind}(nothing)`] = (counts[built ? step.action.kind : `${step.action.kind}(nothing)`] ?? 0) + 1;
      if (!built) continue;
      recent.push(`#${i} ${u.first_name}: ${built.describe}`);
      if (recent.length > 20) recent.shift();
      const errorsBefore = errorLogs.length;
      const seenBefore = TRACE ? bot.api.messagesTo(u.id).length : 0;
      try {
        await bot.process(built.update);
      } catch (err) {
        violation(`bot.process rejected: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`, i, u.id);
      }
      if (errorLogs.length > errorsBefore) violation(`error logged: ${errorLogs.slice(errorsBefore).join('\n')}`, i, u.id);
      if ('callback_query' in built.update) {
        const id = built.update.callback_query.id;
        const answered = bot.api.calls.some((c) => c.method === 'answerCallbackQuery' && String(c.params.callback_query_id) === id);
        if (!answered) violation(`callback query ${id} was never answered (the button keeps spinning)`, i, u.id);
      }
      if (TRACE) {
        const answers = bot.api.messagesTo(u.id).slice(seenBefore).map((m) => `      ← [${m.method}] ${m.plainText.replace(/\n/g, ' ⏎ ').slice(0, 160)}`);
        trace.push(`#${i} ${u.first_name}: ${built.describe}`, ...answers);
      }
      const isCheck = /^\/(cek|check)\b/.test(step.action.kind === 'command' || step.action.kind === 'groupCheck' ? step.action.text : '');
      checkNewCalls(i, isCheck ? new Set([u.id, GROUP_CHAT]) : new Set());
    }

    // The app still answers everyone.
    for (const u of USERS) {
      const before = bot.api.messagesTo(u.id).length;
      recent.push(`final ${u.first_name}: /bantuan`);
      try {
        await bot.send(u, '/bantuan');
      } catch (err) {
        violation(`final /bantuan rejected: ${String(err)}`, STEPS, u.id);
      }
      if (bot.api.messagesTo(u.id).length <= before) violation(`final /bantuan from ${u.first_name} got no reply`, STEPS, u.id);
    }

    // Let queued deliveries (broadcasts, results) reach the fake API, then check every call again.
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const pending = await rows(sql`select count(*)::int as n from deliveries where status in ('queued', 'sending')`);
      if (Number(pending[0]?.n) === 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    checkNewCalls(STEPS, new Set());

    // The database still holds its constraints.
    const dbChecks: [string, ReturnType<typeof sql>][] = [
      ['product codes upper-case and well-formed', sql`select code from products where code <> upper(code) or code !~ '^[A-Z0-9]+-[0-9]+$'`],
      ['product codes unique (case-insensitive)', sql`select upper(code) as code, count(*)::int as n from products group by upper(code) having count(*) > 1`],
      ['submissions reference existing products and campaigns', sql`select s.id from submissions s left join products p on p.id = s.product_id left join campaigns c on c.id = s.campaign_id where p.id is null or c.id is null`],
      ['stock reports reference existing products', sql`select r.id from stock_reports r left join products p on p.id = r.product_id where p.id is null`],
      ['stock quantities are within 0 … 1e9', sql`select id, quantity from stock_reports where quantity < 0 or quantity > 1000000000`],
      ['committed quantities are positive', sql`select id, committed_quantity from submissions where committed_quantity <= 0`],
      ['one active submission per campaign and product', sql`select campaign_id, product_id, count(*)::int as n from submissions where status <> 'withdrawn' group by campaign_id, product_id having count(*) > 1`],
      ['shortlist never above the campaign maximum', sql`select c.id, c.max_shortlist, count(s.id)::int as n from campaigns c join submissions s on s.campaign_id = c.id and s.status = 'shortlisted' group by c.id, c.max_shortlist having count(s.id) > c.max_shortlist`],
      ['businesses keep a 13-digit NIB and a +62 phone', sql`select id, nib, phone from businesses where nib !~ '^[0-9]{13}$' or phone !~ '^[+]62[2-9][0-9]{7,11}$'`],
      ['one business per owner, NIB unique', sql`select nib, count(*)::int as n from businesses group by nib having count(*) > 1`],
      ['at most 50 active products per business', sql`select business_id, count(*)::int as n from products where archived_at is null group by business_id having count(*) > 50`],
      ['product names and descriptions not empty', sql`select id from products where length(trim(name)) = 0 or length(trim(description)) = 0`],
    ];
    for (const [name, query] of dbChecks) {
      const bad = await rows(query);
      if (bad.length > 0) violation(`database check failed: ${name}: ${JSON.stringify(bad.slice(0, 5), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`, STEPS);
    }

    const [stats] = await rows(sql`select
      (select count(*)::int from products) as products, (select count(*)::int from products where archived_at is not null) as archived,
      (select count(*)::int from stock_reports) as stock_reports, (select count(*)::int from submissions) as submissions,
      (select count(*)::int from submissions where status = 'shortlisted') as shortlisted, (select count(*)::int from submissions where status = 'rejected') as rejected,
      (select count(*)::int from campaigns) as campaigns, (select count(*)::int from broadcasts) as broadcasts,
      (select count(*)::int from deliveries) as deliveries, (select count(*)::int from businesses) as businesses, (select count(*)::int from audit_log) as audit`);
    if (TRACE) writeFileSync(TRACE, `${trace.join('\n')}\n`);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`[fuzz] seed=${SEED}: database afterwards ${JSON.stringify(stats)}`);
    console.log(`[fuzz] seed=${SEED}: ${STEPS} steps in ${seconds}s, ${bot.api.calls.length} Bot API calls; steps by kind ${JSON.stringify(counts)}`);
    if (violations.length > 0) {
      console.log(`[fuzz] seed=${SEED}: ${violations.length} kind(s) of violation, first occurrence of each:\n\n${violations.join('\n\n')}`);
    }
    expect([...kinds].map(([kind, n]) => `${n}× ${kind}`), `fuzz seed ${SEED} (replay: FUZZ_SEED=${SEED} FUZZ_STEPS=${STEPS} npx vitest run test/fuzz); details above`).toEqual([]);
  }, 240_000);
});
