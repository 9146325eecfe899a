import { pino } from 'pino';
import { Context, Telegram } from 'telegraf';
import type { Message, Update, UserFromGetMe } from 'telegraf/types';
import { describe, expect, it } from 'vitest';
import { callbackData, int } from '../../src/bot/callback-data.js';
import type { AppDeps, BotContext } from '../../src/bot/context.js';
import { commandName } from '../../src/bot/dispatch/command.js';
import { ButtonTable, createDispatcher } from '../../src/bot/dispatch/dispatcher.js';
import { anyChatButton, anyChatCommand, onMyChatMember, privateButton, privateCommand, privateRecogniser, type ButtonRoute, type Feature, type MessageContext, type Recogniser } from '../../src/bot/dispatch/feature.js';
import { openFlow, type FlowPort } from '../../src/bot/dispatch/flow-steps.js';
import { ALL_FLOWS } from '../../src/bot/features/flows.js';
import { RECOGNISERS } from '../../src/bot/features/index.js';
import { flows } from '../../src/bot/flow-engine/index.js';
import type { User } from '../../src/db/schema/index.js';
import { translator } from '../../src/locales/index.js';
import { emptySession, type FlowState } from '../../src/bot/session/schema.js';

/*
 * The dispatcher on its own: fake features that record what ran, contexts built from telegraf's own
 * Context over a Telegram client whose calls are recorded instead of sent (no network, no database).
 */

const BOT: UserFromGetMe = { id: 1, is_bot: true, first_name: 'Etalase', username: 'EtalaseBot', can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false };
const PERSON = { id: 7, is_bot: false, first_name: 'Sari', language_code: 'id' };
const PRIVATE_CHAT = { id: 7, type: 'private' as const, first_name: 'Sari' };
const GROUP_CHAT = { id: -100, type: 'group' as const, title: 'Eksportir' };
const t = translator('id');

const user: User = {
  id: 7n,
  chatId: 7n,
  displayName: 'Sari',
  username: null,
  language: 'id',
  telegramLanguage: 'id',
  role: 'exporter',
  timeZone: 'Asia/Jakarta',
  timeZoneChosen: false,
  status: 'active',
  mutedBroadcasts: false,
  createdAt: new Date(0),
  updatedAt: new Date(0),
  lastSeenAt: new Date(0),
};

interface Call {
  method: string;
  payload: Record<string, unknown>;
}

type Chat = typeof PRIVATE_CHAT | typeof GROUP_CHAT;
type Entity = Message.TextMessage['entities'];

/** A text message; a leading `/word` (up to a space) is marked as a command, as Telegram marks it. */
function textUpdate(text: string, chat: Chat = PRIVATE_CHAT, entities?: Entity): Update.MessageUpdate<Message.TextMessage> {
  const head = /^\/\S+/.exec(text)?.[0];
  const marked: Entity = entities ?? (head ? [{ type: 'bot_command', offset: 0, length: head.length }] : undefined);
  return { update_id: 1, message: { message_id: 10, date: 0, chat, from: PERSON, text, ...(marked ? { entities: marked } : {}) } };
}

function photoUpdate(caption: string): Update.MessageUpdate<Message.PhotoMessage> {
  return {
    update_id: 2,
    message: { message_id: 11, date: 0, chat: PRIVATE_CHAT, from: PERSON, photo: [{ file_id: 'p', file_unique_id: 'p', width: 1, height: 1 }], caption, caption_entities: [{ type: 'bot_command', offset: 0, length: caption.split(' ')[0]!.length }] },
  };
}

function pressUpdate(data: string, chat: Chat = PRIVATE_CHAT): Update.CallbackQueryUpdate {
  return { update_id: 3, callback_query: { id: 'q1', from: PERSON, chat_instance: 'c', data, message: { message_id: 12, date: 0, chat, text: 'card' } } };
}

interface Fake {
  ctx: BotContext;
  calls: Call[];
}

/** A context as the kernel middlewares leave it: session, language, and the user row in private chats. */
function fake(update: Update, opts: { user?: User | undefined; flow?: FlowState | null } = {}): Fake {
  const calls: Call[] = [];
  const telegram = Object.assign(new Telegram('1:test'), {
    callApi: async (method: string, payload: Record<string, unknown>) => {
      calls.push({ method, payload });
      return true;
    },
  });
  const session = { ...emptySession(), flow: opts.flow ?? null };
  const chat = 'message' in update ? update.message.chat : 'callback_query' in update ? update.callback_query.message?.chat : undefined;
  const ctx = Object.assign(new Context(update, telegram, BOT), {
    session,
    // Neither the dispatcher nor the fallback reaches the app's dependencies; the routes here are fakes.
    app: {} as AppDeps,
    log: pino({ level: 'silent' }),
    lang: 'id' as const,
    t,
    user: 'user' in opts ? opts.user : chat?.type === 'private' ? user : undefined,
    firstContact: false,
  });
  return { ctx, calls };
}

const texts = (calls: Call[]) => calls.filter((c) => c.method === 'sendMessage').map((c) => c.payload.text);
const answers = (calls: Call[]) => calls.filter((c) => c.method === 'answerCallbackQuery').map((c) => c.payload.text);

/** A stand-in for the flow engine: `open` says whether a flow runs; what it was asked is recorded. */
function fakeFlows(open: boolean): FlowPort & { seen: string[]; open: boolean } {
  const engine = {
    open,
    seen: [] as string[],
    isActive: () => engine.open,
    handleMessage: async (ctx: BotContext) => {
      engine.seen.push(`message ${ctx.message && 'text' in ctx.message ? ctx.message.text : '(no text)'}`);
      return true;
    },
    handleCallback: async (_ctx: BotContext, data: string) => void engine.seen.push(`press ${data}`),
    cancel: () => {
      const had = engine.open;
      engine.open = false;
      return had;
    },
    titleOf: () => (engine.open ? 'Laporan stok' : null),
  };
  return engine;
}

const shortlist = callbackData('rv:s', { id: int(), v: int().optional() });
const shortlistNotReady = callbackData('rv:s2', { id: int(), v: int().optional() });
const confirmStock = callbackData('av:ok', { id: int() });
const report = callbackData('rp', { campaign: int() });

/**
 * A bot of fake features; `ran` lists what each route was handed. Its recognisers mirror the real list:
 * the open flow, then a stand-in for the stock report (`CODE 123`).
 */
function fakeBot(opts: { flowOpen?: boolean; recognisers?: (ran: string[]) => Recogniser[] } = {}) {
  const ran: string[] = [];
  const engine = fakeFlows(opts.flowOpen ?? false);
  const features: Feature[] = [
    {
      name: 'exporter',
      routes: [
        privateCommand(['zona', 'timezone'], async (ctx) => void ran.push(`zona for ${ctx.user.displayName}: ${ctx.message.text}`)),
        anyChatCommand(['cek', 'check'], async (ctx) => void ran.push(`cek in ${ctx.chat.type}`)),
        anyChatCommand(['batal', 'cancel'], async (ctx) => void ran.push(`batal, had a flow: ${String(engine.cancel(ctx))}`)),
        privateButton(confirmStock, async (ctx, { id }) => void ran.push(`av:ok ${id} by ${ctx.user.displayName}`)),
        onMyChatMember(async (ctx) => void ran.push(`member ${ctx.myChatMember.new_chat_member.status}`)),
      ],
    },
    {
      name: 'review',
      routes: [
        privateButton(shortlist, async (_ctx, values) => void ran.push(`rv:s ${JSON.stringify(values)}`)),
        privateButton(shortlistNotReady, async (_ctx, values) => void ran.push(`rv:s2 ${JSON.stringify(values)}`)),
        anyChatButton(report, async (_ctx, { campaign }) => void ran.push(`rp ${campaign}`)),
      ],
    },
  ];
  const recognisers = opts.recognisers?.(ran) ?? [
    openFlow(engine),
    privateRecogniser('report', (ctx) => ('text' in ctx.message && /^[A-Z]+-\d+ \d+$/.test(ctx.message.text) ? ctx.message.text : undefined), async (_ctx, text) => void ran.push(`report ${text}`)),
  ];
  const dispatch = createDispatcher({ features, recognisers, flows: engine });
  let passedOn = 0;
  const run = async (f: Fake) => {
    await dispatch(f.ctx, async () => void passedOn++);
    return f;
  };
  return { ran, engine, run, passedOn: () => passedOn };
}

describe('button prefixes', () => {
  const route = (prefix: string): ButtonRoute => ({ kind: 'button', prefix, scope: 'any', take: () => undefined });
  const table = new ButtonTable(['rv:s', 'rv:s2', 'rv:sx', 'av:ok', 'rp', 'f', 'reg:start'].map(route));
  const prefixOf = (data: string) => table.lookup(data)?.prefix;

  it('finds the longest prefix that ends at a segment boundary', () => {
    expect(prefixOf('rv:s:5:2')).toBe('rv:s');
    expect(prefixOf('rv:s2:5')).toBe('rv:s2');
    expect(prefixOf('rv:sx:5')).toBe('rv:sx');
    expect(prefixOf('rv:s')).toBe('rv:s');
    expect(prefixOf('av:ok:3')).toBe('av:ok');
    expect(prefixOf('rp:9')).toBe('rp');
    expect(prefixOf('reg:start')).toBe('reg:start');
    expect(prefixOf('f:ab12Cd:S:v:')).toBe('f');
  });

  it('claims nothing for data that only starts like a prefix', () => {
    for (const data of ['rv:s3:5', 'rv', 'rv:', 'av:okay:1', 'rpx:1', 'fx:1', 'av', '', ':rv:s']) expect(prefixOf(data), data).toBeUndefined();
  });

  it('hands each press the values of its own codec, `rv:s` apart from `rv:s2`', async () => {
    const bot = fakeBot();
    await bot.run(fake(pressUpdate('rv:s:5:2')));
    await bot.run(fake(pressUpdate('rv:s2:5')));
    await bot.run(fake(pressUpdate('rv:s:6')));
    expect(bot.ran).toEqual(['rv:s {"id":5,"v":2}', 'rv:s2 {"id":5}', 'rv:s {"id":6}']);
  });

  it('treats data of a known prefix whose values do not decode as an unknown button: spinner stopped, nothing run', async () => {
    const bot = fakeBot();
    for (const data of ['rv:s:abc', 'rv:s', 'rv:s:1:2:3', 'av:ok:', 'nope:1']) {
      const { calls } = await bot.run(fake(pressUpdate(data)));
      expect(answers(calls), data).toEqual([undefined]);
      expect(texts(calls), data).toEqual([]);
    }
    expect(bot.ran).toEqual([]);
  });

  it('gives every `f:` press to the flow engine, well-formed or not, in any chat', async () => {
    const bot = fakeBot();
    await bot.run(fake(pressUpdate('f:ab12Cd:0:c:x')));
    await bot.run(fake(pressUpdate('f:zz')));
    await bot.run(fake(pressUpdate('f', GROUP_CHAT)));
    expect(bot.engine.seen).toEqual(['press f:ab12Cd:0:c:x', 'press f:zz', 'press f']);
  });
});

describe('building the dispatcher', () => {
  const noop = async () => undefined;
  const build = (...features: Feature[]) => () => createDispatcher({ features, recognisers: [], flows: fakeFlows(false) });

  it('refuses a command name routed twice, naming both features', () => {
    expect(build({ name: 'stock', routes: [privateCommand(['stok', 'stock'], noop)] }, { name: 'other', routes: [anyChatCommand(['stock'], noop)] })).toThrow(/\/stock is routed twice \(features stock and other\)/);
    expect(build({ name: 'a', routes: [privateCommand(['x'], noop), privateCommand(['x'], noop)] })).toThrow(/\/x is routed twice/);
  });

  it('refuses a prefix routed twice, the flow engine’s `f` included', () => {
    expect(build({ name: 'a', routes: [privateButton(shortlist, noop)] }, { name: 'b', routes: [anyChatButton(callbackData('rv:s'), noop)] })).toThrow(/two button routes for the prefix rv:s/);
    expect(build({ name: 'a', routes: [anyChatButton(callbackData('f', { x: int() }), noop)] })).toThrow(/prefix f\b/);
  });

  it('refuses two routes for one update kind', () => {
    expect(build({ name: 'a', routes: [onMyChatMember(noop)] }, { name: 'b', routes: [onMyChatMember(noop)] })).toThrow(/my_chat_member/);
  });

  it('builds the real features without a clash', async () => {
    const { FEATURES } = await import('../../src/bot/features/index.js');
    expect(build(...FEATURES)).not.toThrow();
  });
});

describe('scopes', () => {
  it('runs a private route for a known person in a private chat, with the user typed', async () => {
    const bot = fakeBot();
    await bot.run(fake(textUpdate('/zona')));
    await bot.run(fake(pressUpdate('av:ok:3')));
    expect(bot.ran).toEqual(['zona for Sari: /zona', 'av:ok 3 by Sari']);
  });

  it('skips a private route in a group: a command there gets no answer, a button a silent one', async () => {
    const bot = fakeBot();
    const command = await bot.run(fake(textUpdate('/zona', GROUP_CHAT)));
    const press = await bot.run(fake(pressUpdate('av:ok:3', GROUP_CHAT)));
    expect(bot.ran).toEqual([]);
    expect(command.calls).toEqual([]);
    expect(answers(press.calls)).toEqual([undefined]);
  });

  it('skips a private route in a private chat without a user row, which then gets the fallback', async () => {
    const bot = fakeBot();
    const { calls } = await bot.run(fake(textUpdate('/zona'), { user: undefined }));
    const press = await bot.run(fake(pressUpdate('av:ok:3'), { user: undefined }));
    expect(bot.ran).toEqual([]);
    expect(texts(calls)).toEqual([t('common.unknownCommand', { command: '/zona' })]);
    expect(answers(press.calls)).toEqual([undefined]);
  });

  it('runs an any-chat route in a group', async () => {
    const bot = fakeBot();
    await bot.run(fake(textUpdate('/cek KOPI-01', GROUP_CHAT)));
    await bot.run(fake(pressUpdate('rp:4', GROUP_CHAT)));
    expect(bot.ran).toEqual(['cek in group', 'rp 4']);
  });

  it('routes the other update kinds a feature names, and passes the rest on', async () => {
    const bot = fakeBot();
    const member: Update.MyChatMemberUpdate = {
      update_id: 4,
      my_chat_member: { chat: PRIVATE_CHAT, from: PERSON, date: 0, old_chat_member: { status: 'member', user: BOT }, new_chat_member: { status: 'kicked', user: BOT, until_date: 0 } },
    };
    await bot.run(fake(member));
    const edited: Update.EditedMessageUpdate = { update_id: 5, edited_message: { message_id: 1, date: 0, edit_date: 1, chat: PRIVATE_CHAT, from: PERSON, text: '/zona' } };
    const { calls } = await bot.run(fake(edited));
    expect(bot.ran).toEqual(['member kicked']);
    expect(bot.passedOn()).toBe(1);
    expect(calls).toEqual([]);
  });
});

describe('commands, as telegraf 4.16 reads them', () => {
  it('accepts /name@ this bot’s username in any case, and ignores /name@another bot', async () => {
    const bot = fakeBot();
    await bot.run(fake(textUpdate('/zona@etalasebot')));
    await bot.run(fake(textUpdate('/zona@EtalaseBot now')));
    const other = await bot.run(fake(textUpdate('/zona@OtherBot')));
    expect(bot.ran).toEqual(['zona for Sari: /zona@etalasebot', 'zona for Sari: /zona@EtalaseBot now']);
    expect(texts(other.calls)).toEqual([t('common.unknownCommand', { command: '/zona' })]);
  });

  it('compares names case-sensitively, and reads only a first entity at offset 0', async () => {
    const bot = fakeBot();
    const upper = await bot.run(fake(textUpdate('/Zona')));
    const later = await bot.run(fake(textUpdate('hai /zona', PRIVATE_CHAT, [{ type: 'bot_command', offset: 4, length: 5 }])));
    const second = await bot.run(fake(textUpdate('/zona', PRIVATE_CHAT, [{ type: 'bold', offset: 0, length: 2 }, { type: 'bot_command', offset: 0, length: 5 }])));
    expect(bot.ran).toEqual([]);
    expect(texts(upper.calls)).toEqual([t('common.unknownCommand', { command: '/Zona' })]);
    expect(texts(later.calls)).toEqual([t('common.unknownText')]);
    expect(texts(second.calls)).toEqual([t('common.unknownCommand', { command: '/zona' })]);
  });

  it('does not read a command from a caption: telegraf’s `command` filters on text messages', async () => {
    const bot = fakeBot();
    const { calls } = await bot.run(fake(photoUpdate('/zona')));
    expect(bot.ran).toEqual([]);
    expect(texts(calls)).toEqual([t('common.unknownText')]);
    // And with a flow open, a captioned photo is the flow's, like any photo: the flow goes on.
    const flowing = fakeBot({ flowOpen: true });
    await flowing.run(fake(photoUpdate('/zona')));
    expect(flowing.engine.seen).toEqual(['message (no text)']);
    expect(flowing.engine.open).toBe(true);
  });

  it('reads the name as telegraf does', () => {
    const msg = (text: string, length: number): Message.TextMessage => ({ message_id: 1, date: 0, chat: PRIVATE_CHAT, text, entities: [{ type: 'bot_command', offset: 0, length }] });
    expect(commandName(msg('/stok KOPI-01 5', 5), 'EtalaseBot')).toBe('stok');
    expect(commandName(msg('/stok@ETALASEBOT 5', 16), 'EtalaseBot')).toBe('stok');
    expect(commandName(msg('/stok@x', 7), 'EtalaseBot')).toBeUndefined();
    expect(commandName(msg('/stok@x', 7), undefined)).toBeUndefined();
    expect(commandName(msg('/', 1), 'EtalaseBot')).toBe('');
  });
});

describe('messages no command took: the recognisers, in order', () => {
  it('hands a message no recogniser takes to the fallback, in private chats only', async () => {
    const bot = fakeBot();
    const privately = await bot.run(fake(textUpdate('halo')));
    const inGroup = await bot.run(fake(textUpdate('halo', GROUP_CHAT)));
    const unknown = await bot.run(fake(textUpdate('/tidakada')));
    expect(texts(privately.calls)).toEqual([t('common.unknownText')]);
    expect(inGroup.calls).toEqual([]);
    expect(texts(unknown.calls)).toEqual([t('common.unknownCommand', { command: '/tidakada' })]);
  });

  it('asks the recognisers in their order; the first that takes the message handles it', async () => {
    const bot = fakeBot({
      recognisers: (ran) => [
        privateRecogniser('first', (ctx) => ('text' in ctx.message && ctx.message.text.startsWith('A') ? true : undefined), async () => void ran.push('first')),
        privateRecogniser('second', (ctx) => ('text' in ctx.message ? true : undefined), async () => void ran.push('second')),
      ],
    });
    await bot.run(fake(textUpdate('A1')));
    await bot.run(fake(textUpdate('B1')));
    expect(bot.ran).toEqual(['first', 'second']);
  });

  describe('the real list (features/index.ts)', () => {
    // As create-bot.ts does: the engine knows a run only of a flow registered with it.
    flows.register(ALL_FLOWS);
    const open: FlowState = { name: 'stock', step: 'qty', draft: {}, trail: [], runId: 'ab12Cd', editing: false, target: null, page: 0, startedAt: 0, touchedAt: 0 };
    const isMessage = (ctx: BotContext): ctx is MessageContext => 'message' in ctx.update;
    /** Which recogniser would take the message (asked only: nothing is run, nothing reaches the database). */
    const taker = ({ ctx }: Fake) => (isMessage(ctx) ? RECOGNISERS.find((r) => r.take(ctx) !== undefined)?.name : 'not a message');

    it('puts an open flow first: an answer that reads like a stock report is the flow’s', () => {
      expect(flows.isActive(fake(textUpdate('x'), { flow: open }).ctx)).toBe(true);
      // Issue 16: inside the guided stock report itself, `KODE 1.600` is the one-line report.
      expect(taker(fake(textUpdate('KOPI-01 100'), { flow: open }))).toBe('stock report inside the guided report');
      expect(taker(fake(textUpdate('KOPI-01 100'), { flow: { ...open, name: 'product', step: 'name' } }))).toBe('open flow');
      expect(taker(fake(textUpdate('halo'), { flow: open }))).toBe('open flow');
    });

    it('takes the same text as a stock report when no flow is open, and nothing else', () => {
      expect(taker(fake(textUpdate('KOPI-01 100')))).toBe('stock report');
      expect(taker(fake(textUpdate('KOPI-01 100\nTEH-02 5')))).toBe('stock report');
      expect(taker(fake(textUpdate('/STOK KOPI-01 100')))).toBe('stock report');
      expect(taker(fake(textUpdate('halo')))).toBeUndefined();
      // A stock report is a private matter: in a group, nobody's stock is saved.
      expect(taker(fake(textUpdate('KOPI-01 100', GROUP_CHAT)))).toBeUndefined();
    });

    it('leaves a `/…` text to the commands even while a flow is open', () => {
      expect(taker(fake(textUpdate('/BATAL'), { flow: open }))).toBeUndefined();
    });
  });
});

describe('an open flow', () => {
  it('takes the answer, even one that reads like a stock report; without a flow it is a report', async () => {
    const flowing = fakeBot({ flowOpen: true });
    await flowing.run(fake(textUpdate('KOPI-01 100')));
    expect(flowing.engine.seen).toEqual(['message KOPI-01 100']);
    expect(flowing.ran).toEqual([]);
    const idle = fakeBot();
    await idle.run(fake(textUpdate('KOPI-01 100')));
    expect(idle.engine.seen).toEqual([]);
    expect(idle.ran).toEqual(['report KOPI-01 100']);
  });

  it('gives way to a command other than /batal: the flow ends, says so, and the command runs', async () => {
    const bot = fakeBot({ flowOpen: true });
    const { calls } = await bot.run(fake(textUpdate('/zona')));
    expect(bot.engine.open).toBe(false);
    expect(texts(calls)).toEqual([t('flows.leftForCommand', { title: 'Laporan stok' })]);
    expect(calls[0]?.payload.reply_markup).toEqual({ remove_keyboard: true });
    expect(bot.ran).toEqual(['zona for Sari: /zona']);
  });

  it('ends for an unknown command too, which then gets the fallback', async () => {
    const bot = fakeBot({ flowOpen: true });
    const { calls } = await bot.run(fake(textUpdate('/tidakada')));
    expect(bot.engine.open).toBe(false);
    expect(texts(calls)).toEqual([t('flows.leftForCommand', { title: 'Laporan stok' }), t('common.unknownCommand', { command: '/tidakada' })]);
  });

  it('is closed by /batal itself, with or without a flow', async () => {
    const flowing = fakeBot({ flowOpen: true });
    const { calls } = await flowing.run(fake(textUpdate('/batal')));
    expect(texts(calls)).toEqual([]);
    const idle = fakeBot();
    await idle.run(fake(textUpdate('/batal')));
    expect([...flowing.ran, ...idle.ran]).toEqual(['batal, had a flow: true', 'batal, had a flow: false']);
  });

  it('stays open for a /batal the command does not take (another case, another bot), which gets the fallback', async () => {
    const bot = fakeBot({ flowOpen: true });
    const { calls } = await bot.run(fake(textUpdate('/BATAL')));
    expect(bot.engine.open).toBe(true);
    expect(bot.engine.seen).toEqual([]);
    expect(texts(calls)).toEqual([t('common.unknownCommand', { command: '/BATAL' })]);
  });

  it('is not touched by messages in groups', async () => {
    const bot = fakeBot({ flowOpen: true });
    await bot.run(fake(textUpdate('/cek KOPI-01', GROUP_CHAT)));
    expect(bot.engine.open).toBe(true);
    expect(bot.ran).toEqual(['cek in group']);
  });
});
