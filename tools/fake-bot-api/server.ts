/**
 * The fake Bot API HTTP server (`FakeBotApi`): answers the Bot API methods the bot uses the way Telegram
 * does, records every call in `calls`, and injects faults (errors, blocked chats, latency, rate limits).
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BotCommand, Chat, Document, File, MenuButton, Message, PhotoSize, Update, UserFromGetMe } from 'telegraf/types';
import { parseTelegramHtml, type HtmlEntity } from './html-check.js';
import { BOT_FIRST_NAME, BOT_USERNAME, DEFAULT_TOKEN, botIdFromToken } from './identity.js';
import { parseMultipart } from './multipart.js';
import { checkInlineAnswer, type InlineAnswer } from './inline.js';

export interface InjectedError { error_code: number; description: string; retry_after?: number }

export interface RecordedCall {
  method: string;
  params: Record<string, unknown>;
  /** arrival time, ms epoch */
  at: number;
  /** Made by Telegram from a webhook's answer (`webhookAnswer`), not by a request of the bot. */
  viaWebhook?: true;
  response: {
    ok: boolean;
    error_code?: number;
    description?: string;
    result?: unknown;
    /** true when the client hung up before the (long-poll) answer was sent */
    aborted?: boolean;
  };
}

export type MessageMethod = 'sendMessage' | 'sendPhoto' | 'sendDocument' | 'editMessageText';

/** One successful message-producing call, as returned by `messagesTo`. */
export interface RecordedMessage {
  method: MessageMethod;
  chatId: number;
  messageId: number;
  /** text exactly as the bot sent it (sendMessage / editMessageText) */
  text?: string;
  /** caption exactly as the bot sent it (sendPhoto / sendDocument) */
  caption?: string;
  /** text or caption with HTML tags stripped and entities decoded (what the user sees) */
  plainText: string;
  parseMode?: string;
  replyMarkup?: unknown;
  params: Record<string, unknown>;
  at: number;
}

/** A document the bot sent with sendDocument, as returned by `documentsTo`. */
export interface SentDocument {
  messageId: number;
  fileName: string | undefined;
  /** caption exactly as the bot sent it */
  caption: string | undefined;
  /** the uploaded bytes; for a file_id the fake knows, that file's bytes; else (a URL, an unknown id) empty */
  bytes: Buffer;
}

/** What `putFile` answers: a Telegram `Document`, whose size the fake always knows. */
export type PutFile = Document & { file_size: number };

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

// ---------------------------------------------------------------------------
// Request parsing
// ---------------------------------------------------------------------------

type Params = Record<string, unknown>;

const JSON_FIELDS = new Set([
  'reply_markup', 'entities', 'caption_entities', 'link_preview_options', 'reply_parameters',
  'allowed_updates', 'commands', 'scope', 'media', 'results',
  'button', // answerInlineQuery's button above the results
]);
const NUMBER_FIELDS = new Set([
  'chat_id', 'message_id', 'offset', 'limit', 'timeout', 'reply_to_message_id', 'message_thread_id',
  'cache_time', 'max_connections', 'from_chat_id',
]);
const BOOLEAN_FIELDS = new Set([
  'disable_notification', 'protect_content', 'show_alert', 'drop_pending_updates',
  'disable_web_page_preview', 'allow_sending_without_reply', 'has_spoiler', 'disable_content_type_detection',
  'is_personal',
]);

/** Coerce string form values (multipart / query / urlencoded) the way Telegram does. */
function normaliseParams(raw: Params): Params {
  const out: Params = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === 'string') {
      if (JSON_FIELDS.has(key)) {
        try {
          out[key] = JSON.parse(value) as unknown;
          continue;
        } catch {
          /* keep the string */
        }
      }
      if (NUMBER_FIELDS.has(key) && /^-?\d+$/.test(value)) {
        out[key] = Number(value);
        continue;
      }
      if (BOOLEAN_FIELDS.has(key) && (value === 'true' || value === 'false')) {
        out[key] = value === 'true';
        continue;
      }
    }
    out[key] = value;
  }
  return out;
}
async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

type BodyResult = { params: Params } | { error: string };

function parseBody(body: Buffer, contentType: string): BodyResult {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (body.length === 0) return { params: {} };
  if (type === 'application/json') {
    try {
      const parsed: unknown = JSON.parse(body.toString('utf8'));
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        return { error: 'Bad Request: JSON object expected' };
      }
      return { params: parsed as Params };
    } catch {
      return { error: "Bad Request: can't parse JSON" };
    }
  }
  if (type === 'multipart/form-data') {
    const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
    const b = boundary?.[1] ?? boundary?.[2];
    if (b === undefined) return { error: 'Bad Request: multipart boundary is missing' };
    const params = parseMultipart(body, b);
    return { params };
  }
  if (type === 'application/x-www-form-urlencoded') {
    return { params: Object.fromEntries(new URLSearchParams(body.toString('utf8'))) };
  }
  return { params: {} };
}

// ---------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------

type Outcome =
  | { ok: true; result: unknown }
  | { ok: false; error_code: number; description: string; parameters?: { retry_after?: number; migrate_to_chat_id?: number } };

const KNOWN_METHODS = [
  'getMe', 'getUpdates', 'setWebhook', 'deleteWebhook', 'getWebhookInfo', 'sendMessage', 'editMessageText',
  'editMessageReplyMarkup', 'editMessageCaption', 'deleteMessage', 'answerCallbackQuery', 'sendDocument',
  'sendPhoto', 'sendChatAction', 'setMyCommands', 'deleteMyCommands', 'getMyCommands', 'getFile',
  'setChatMenuButton', 'getChatMenuButton',
  'answerInlineQuery',
] as const;
type KnownMethod = (typeof KNOWN_METHODS)[number];
const METHOD_BY_LOWER = new Map<string, KnownMethod>(KNOWN_METHODS.map((m) => [m.toLowerCase(), m]));

/** Calls that create or change a message: subject to `enforceRate` and `blockChat`. */
const MESSAGE_PRODUCING = new Set<string>([
  'sendMessage', 'sendPhoto', 'sendDocument', 'editMessageText', 'editMessageReplyMarkup', 'editMessageCaption',
]);
const RECORDED_MESSAGE_METHODS = new Set<string>(['sendMessage', 'sendPhoto', 'sendDocument', 'editMessageText']);

const CHAT_ACTIONS = new Set([
  'typing', 'upload_photo', 'record_video', 'upload_video', 'record_voice', 'upload_voice', 'upload_document',
  'choose_sticker', 'find_location', 'record_video_note', 'upload_video_note',
]);

const INLINE_BUTTON_ACTIONS = [
  'url', 'callback_data', 'web_app', 'login_url', 'switch_inline_query', 'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat', 'callback_game', 'pay', 'copy_text',
];

/** Updates Telegram does not deliver unless explicitly listed in allowed_updates. */
const OPT_IN_UPDATES = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

const NOT_MODIFIED =
  'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a content and reply markup of the current message';

interface StoredMessage {
  message: Message & { text?: string; caption?: string; reply_markup?: unknown };
  source: string; // raw text/caption + parse mode, for "not modified"
  markup: string; // JSON of reply_markup ('' when none)
  deleted: boolean;
}

interface Poller { finish: (outcome: Outcome) => void }

type Failure = Extract<Outcome, { ok: false }>;

const bad = (description: string, error_code = 400): Failure => ({ ok: false, error_code, description });

function recordedResponse(outcome: Outcome): RecordedCall['response'] {
  if (outcome.ok) return { ok: true, result: outcome.result };
  return { ok: false, error_code: outcome.error_code, description: outcome.description };
}

/** A file the fake can serve by getFile and download: put by a test (`putFile`) or uploaded by the bot. */
interface StoredFile { bytes: Buffer; fileUniqueId: string; fileName?: string; mimeType?: string; path: string }

/** Telegram's limit for bots: getFile refuses anything larger. */
const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;

const asNumber = (v: unknown): number | undefined => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  return undefined;
};

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function describeCall(call: RecordedCall, index: number, t0: number): string {
  let params = JSON.stringify(call.params);
  if (params.length > 240) params = `${params.slice(0, 240)}…`;
  const res = call.response.ok
    ? 'ok'
    : `${call.response.error_code ?? '?'} ${call.response.description ?? ''}`.trim();
  return `  #${index} +${call.at - t0}ms ${call.method} ${params} -> ${res}`;
}

const WEBHOOK_ANSWER_HEADER = 'x-fake-webhook-answer';

export class FakeBotApi {
  readonly token: string;
  /** Every call in arrival order (long polls are inserted at their arrival position once answered). */
  readonly calls: RecordedCall[] = [];
  /** Message-producing calls rejected by `enforceRate`. */
  rateViolations = 0;
  /** The highest offset a getUpdates call has confirmed (0 = none). */
  confirmedOffset = 0;

  readonly botUser: UserFromGetMe;

  private readonly server: http.Server;
  private port = 0;
  private readonly startedAt = Date.now();
  private seq = 0;
  private readonly callSeq: number[] = [];
  private readonly listeners = new Set<() => void>();
  private closed = false;

  private queue: Update[] = [];
  private lastUpdateId = 0;
  private poller: Poller | null = null;
  private allowedUpdates: string[] | null = null;
  private webhookUrl = '';

  private readonly chats = new Map<number, Chat>();
  private readonly messages = new Map<number, { nextId: number; byId: Map<number, StoredMessage> }>();
  private readonly answeredCallbacks = new Set<string>();
  /** Inline queries answered (Telegram takes one answer per query), with what each was told. */
  private readonly inlineAnswers = new Map<string, InlineAnswer>();
  private readonly commands = new Map<string, BotCommand[]>();
  /** Per-chat menu buttons (setChatMenuButton); a chat without one has Telegram's default. */
  private readonly menuButtons = new Map<number, MenuButton>();
  private readonly files = new Map<string, StoredFile>();
  private readonly filesByPath = new Map<string, StoredFile>();
  private filePathSeq = 1;
  private putFileSeq = 1;

  private readonly failures = new Map<string, { remaining: number; error: InjectedError }[]>();
  private readonly blocked = new Set<number>();
  /** Group chats that refuse the bot's messages (kicked, muted, upgraded), with Telegram's answer. */
  private readonly refusingGroups = new Map<number, Failure>();
  private latencyMs = 0;
  /** Requests held by `setLatency` on their way in, by method. */
  private readonly arriving = new Map<string, number>();
  private readonly sleepers = new Set<() => void>();
  private ratePerSecond: number | null = null;
  private sentAt: number[] = [];

  private constructor(token: string) {
    this.token = token;
    this.botUser = {
      id: botIdFromToken(token),
      is_bot: true,
      first_name: BOT_FIRST_NAME,
      username: BOT_USERNAME,
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
    };
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent && !res.destroyed) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ ok: false, error_code: 500, description: `Internal Server Error: ${String(err)}` }));
        }
      });
    });
  }

  static async start(opts: { token?: string; port?: number } = {}): Promise<FakeBotApi> {
    const api = new FakeBotApi(opts.token ?? DEFAULT_TOKEN);
    await new Promise<void>((resolve, reject) => {
      api.server.once('error', reject);
      api.server.listen(opts.port ?? 0, '127.0.0.1', () => {
        api.server.off('error', reject);
        resolve();
      });
    });
    api.port = (api.server.address() as AddressInfo).port;
    return api;
  }

  get apiRoot(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.poller?.finish({ ok: true, result: [] });
    for (const wake of this.sleepers) wake();
    this.sleepers.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => { resolve(); });
      this.server.closeAllConnections();
    });
  }

  /**
   * What Telegram does with the body of a webhook's 200 answer: when it names a `method`, that call is
   * made (and recorded here like any other, marked `viaWebhook`); its result goes nowhere.
   */
  async webhookAnswer(body: string): Promise<void> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return;
    }
    if (!isRecord(parsed) || typeof parsed.method !== 'string') return;
    const { method, ...params } = parsed;
    await fetch(`${this.apiRoot}/bot${this.token}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [WEBHOOK_ANSWER_HEADER]: '1' },
      body: JSON.stringify(params),
    });
  }

  // ---- recording helpers -------------------------------------------------

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  messagesTo(chatId: number): RecordedMessage[] {
    const out: RecordedMessage[] = [];
    for (const call of this.calls) {
      if (!call.response.ok || !RECORDED_MESSAGE_METHODS.has(call.method)) continue;
      if (asNumber(call.params.chat_id) !== chatId) continue;
      const result = call.response.result;
      const messageId = isRecord(result) && typeof result.message_id === 'number' ? result.message_id : -1;
      const isText = call.method === 'sendMessage' || call.method === 'editMessageText';
      const raw = isText ? call.params.text : call.params.caption;
      const rawText = typeof raw === 'string' ? raw : undefined;
      const parseMode = typeof call.params.parse_mode === 'string' ? call.params.parse_mode : undefined;
      let plainText = rawText ?? '';
      if (rawText !== undefined && parseMode?.toLowerCase() === 'html') {
        const parsed = parseTelegramHtml(rawText);
        if (parsed.ok) plainText = parsed.text;
      }
      const msg: RecordedMessage = {
        method: call.method as MessageMethod,
        chatId,
        messageId,
        plainText,
        params: call.params,
        at: call.at,
      };
      if (isText) msg.text = rawText;
      else if (rawText !== undefined) msg.caption = rawText;
      if (parseMode !== undefined) msg.parseMode = parseMode;
      if (call.params.reply_markup !== undefined) msg.replyMarkup = call.params.reply_markup;
      out.push(msg);
    }
    return out;
  }

  /** Documents the bot sent to `chatId` with sendDocument, oldest first. */
  documentsTo(chatId: number): SentDocument[] {
    const out: SentDocument[] = [];
    for (const call of this.calls) {
      if (call.method !== 'sendDocument' || !call.response.ok || asNumber(call.params.chat_id) !== chatId) continue;
      const result = call.response.result;
      const doc = isRecord(result) && isRecord(result.document) ? result.document : {};
      out.push({
        messageId: isRecord(result) && typeof result.message_id === 'number' ? result.message_id : -1,
        fileName: typeof doc.file_name === 'string' ? doc.file_name : undefined,
        caption: typeof call.params.caption === 'string' ? call.params.caption : undefined,
        // sendMedia stores the bytes under the sent document's own file_id (upload or known file_id alike)
        bytes: (typeof doc.file_id === 'string' ? this.files.get(doc.file_id)?.bytes : undefined) ?? Buffer.alloc(0),
      });
    }
    return out;
  }

  /** What the bot answered to the inline query `queryId` (see `inlineQueryUpdate`), if it did. */
  inlineAnswer(queryId: string): InlineAnswer | undefined {
    return this.inlineAnswers.get(queryId);
  }

  lastMessageTo(chatId: number): RecordedMessage | undefined {
    const all = this.messagesTo(chatId);
    return all[all.length - 1];
  }

  /** Forget recorded calls and the rate-violation count (queued updates, faults and messages stay). */
  clear(): void {
    this.calls.length = 0;
    this.callSeq.length = 0;
    this.rateViolations = 0;
    this.notify();
  }

  /**
   * Resolve once `predicate(calls)` is true (checked on every recorded call and
   * every 25 ms). A predicate that throws counts as false. On timeout, rejects
   * with an error listing the last calls.
   */
  async waitFor(predicate: (calls: RecordedCall[]) => boolean, timeoutMs = 5000): Promise<void> {
    let lastError: unknown;
    const check = (): boolean => {
      try {
        return predicate(this.calls);
      } catch (err) {
        lastError = err;
        return false;
      }
    };
    if (check()) return;
    await new Promise<void>((resolve, reject) => {
      const cleanup = (): void => {
        clearTimeout(timer);
        clearInterval(interval);
        this.listeners.delete(listener);
      };
      const listener = (): void => {
        if (check()) {
          cleanup();
          resolve();
        }
      };
      const interval = setInterval(listener, 25);
      const timer = setTimeout(() => {
        cleanup();
        const last = this.calls.slice(-8);
        const offset = this.calls.length - last.length;
        const lines = last.map((c, k) => describeCall(c, offset + k, this.startedAt));
        const why = lastError instanceof Error ? `\nLast predicate error: ${lastError.message}` : '';
        reject(
          new Error(
            `FakeBotApi.waitFor timed out after ${timeoutMs}ms (${this.calls.length} calls recorded, ` +
              `${this.queue.length} updates pending).${why}\nLast calls:\n${lines.join('\n') || '  (none)'}`,
          ),
        );
      }, timeoutMs);
      this.listeners.add(listener);
    });
  }

  /** Resolve with all messages to `chatId` once at least `count` have been sent/edited. */
  async waitForMessages(chatId: number, count: number, timeoutMs = 5000): Promise<RecordedMessage[]> {
    try {
      await this.waitFor(() => this.messagesTo(chatId).length >= count, timeoutMs);
    } catch (err) {
      const got = this.messagesTo(chatId).map((m) => `  ${m.method}: ${JSON.stringify(m.text ?? m.caption)}`);
      throw new Error(
        `Expected ${count} message(s) to chat ${chatId}, got ${got.length}:\n${got.join('\n') || '  (none)'}\n` +
          (err instanceof Error ? err.message : String(err)),
      );
    }
    return this.messagesTo(chatId);
  }

  // ---- updates ------------------------------------------------------------

  /**
   * Queue an update for getUpdates. A missing or stale `update_id` (not above
   * every id seen so far) is replaced by the next id. Returns the queued update.
   */
  pushUpdate(update: object): Update {
    const u: Record<string, unknown> = { ...(update as Record<string, unknown>) };
    const given = u.update_id;
    if (typeof given === 'number' && Number.isInteger(given) && given > this.lastUpdateId) {
      this.lastUpdateId = given;
    } else {
      this.lastUpdateId = Math.max(this.lastUpdateId, this.confirmedOffset - 1) + 1;
      u.update_id = this.lastUpdateId;
    }
    this.rememberChats(u);
    const queued = u as unknown as Update;
    this.queue.push(queued);
    if (this.poller) {
      // let any synchronous burst of pushes land in the same answer
      setImmediate(() => this.poller?.finish({ ok: true, result: this.takeUpdates(this.pollLimit) }));
    }
    return queued;
  }

  get pendingUpdates(): number {
    return this.queue.length;
  }

  /** True while a getUpdates long poll is waiting for updates. */
  get polling(): boolean {
    return this.poller !== null;
  }

  /** Resolve once a getUpdates long poll is waiting (i.e. the bot is idle and polling). */
  async waitForPolling(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.poller) {
      if (Date.now() > deadline) {
        throw new Error(`FakeBotApi.waitForPolling: no getUpdates long poll within ${timeoutMs}ms`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Current commands for a scope (default scope, no language when omitted). */
  /** The private chat's menu button as the bot last set it (`{ type: 'default' }` when never set). */
  menuButtonOf(chatId: number): MenuButton {
    return this.menuButtons.get(chatId) ?? { type: 'default' };
  }

  commandsFor(scope?: object, languageCode?: string): BotCommand[] {
    return this.commands.get(this.commandsKey(scope, languageCode)) ?? [];
  }

  get webhook(): string {
    return this.webhookUrl;
  }

  // ---- files ----------------------------------------------------------------

  /**
   * Store a file as if a user had uploaded it, and return its `Document` (for `documentUpdate`). Every call
   * gives a new file_id; the file_unique_id comes from the content unless given, so the same bytes put twice
   * share it, as a resent or forwarded file does on Telegram.
   */
  putFile(bytes: Buffer, opts: { fileName?: string; mimeType?: string; fileUniqueId?: string } = {}): PutFile {
    const fileUniqueId =
      opts.fileUniqueId ?? `AgAD${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}`;
    const doc: PutFile = { file_id: `BQACAgIAAxkBAAI${this.putFileSeq++}_user`, file_unique_id: fileUniqueId, file_size: bytes.length };
    if (opts.fileName !== undefined) doc.file_name = opts.fileName;
    if (opts.mimeType !== undefined) doc.mime_type = opts.mimeType;
    // a copy, so a test reusing its buffer cannot change what was "uploaded"
    this.storeFile(doc.file_id, { bytes: Buffer.from(bytes), fileUniqueId, fileName: opts.fileName, mimeType: opts.mimeType }, 'documents');
    return doc;
  }

  // ---- fault injection --------------------------------------------------

  failNext(method: string, count: number, error: InjectedError): void {
    const key = METHOD_BY_LOWER.get(method.toLowerCase()) ?? method;
    const list = this.failures.get(key) ?? [];
    list.push({ remaining: count, error });
    this.failures.set(key, list);
  }

  blockChat(chatId: number): void {
    this.blocked.add(chatId);
  }

  unblockChat(chatId: number): void {
    this.blocked.delete(chatId);
  }

  /** The bot was removed from a group: sends there get 403 "bot was kicked from the group chat". */
  kickFromGroup(chatId: number): void {
    const description = this.chatFor(chatId).type === 'supergroup' ? 'Forbidden: bot was kicked from the supergroup chat' : 'Forbidden: bot was kicked from the group chat';
    this.refusingGroups.set(chatId, bad(description, 403));
  }

  /** The bot was muted in a group: sends there get 400 "not enough rights to send text messages". */
  muteInGroup(chatId: number): void {
    this.refusingGroups.set(chatId, bad('Bad Request: not enough rights to send text messages to the chat'));
  }

  /**
   * A group became a supergroup: sends to the old id get 400 "group chat was upgraded to a supergroup
   * chat" with `parameters.migrate_to_chat_id`, as Telegram answers; the new id is a supergroup.
   */
  upgradeGroup(oldChatId: number, newChatId: number, title?: string): void {
    const old = this.chatFor(oldChatId);
    this.chats.set(newChatId, { id: newChatId, type: 'supergroup', title: title ?? ('title' in old ? old.title : 'Test supergroup') });
    this.refusingGroups.set(oldChatId, { ok: false, error_code: 400, description: 'Bad Request: group chat was upgraded to a supergroup chat', parameters: { migrate_to_chat_id: newChatId } });
  }

  /** The group takes the bot's messages again (added back, unmuted). */
  restoreGroup(chatId: number): void {
    this.refusingGroups.delete(chatId);
  }

  /** Requests of `method` sent by the bot and still on their way in (held by `setLatency`). */
  onTheWay(method: string): number {
    return this.arriving.get(METHOD_BY_LOWER.get(method.toLowerCase()) ?? method) ?? 0;
  }

  /** Delays every request on its way in; a request whose client hangs up meanwhile is lost (never handled). */
  setLatency(ms: number): void {
    this.latencyMs = Math.max(0, ms);
  }

  enforceRate(perSecond: number | null): void {
    this.ratePerSecond = perSecond;
    this.sentAt = [];
  }

  // ---- internals ----------------------------------------------------------

  private pollLimit = 100;

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }

  private record(seq: number, call: RecordedCall): void {
    let idx = this.callSeq.length;
    while (idx > 0 && (this.callSeq[idx - 1] ?? 0) > seq) idx--;
    this.calls.splice(idx, 0, call);
    this.callSeq.splice(idx, 0, seq);
    this.notify();
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(t);
        this.sleepers.delete(wake);
        resolve();
      };
      const t = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    if (res.writableEnded || res.destroyed) return;
    const payload = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
    res.end(payload);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const seq = this.seq++;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = /^\/bot([^/]+)\/([^/]+)\/?$/.exec(url.pathname);
    const body = await readBody(req);
    const fileMatch = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (fileMatch) {
      await this.download(req, res, decodeURIComponent(fileMatch[1] ?? ''), decodeURIComponent(fileMatch[2] ?? ''), at, seq);
      return;
    }
    if (!match) {
      this.send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    const token = decodeURIComponent(match[1] ?? '');
    const rawMethod = match[2] ?? '';
    const method: string = METHOD_BY_LOWER.get(rawMethod.toLowerCase()) ?? rawMethod;

    const query: Params = Object.fromEntries(url.searchParams);
    const parsed = parseBody(body, req.headers['content-type'] ?? '');
    const merged: Params = { ...query, ...('params' in parsed ? parsed.params : {}) };
    if (typeof merged.method === 'string' && merged.method.toLowerCase() === method.toLowerCase()) {
      delete merged.method; // telegraf adds it to multipart bodies
    }
    const params = normaliseParams(merged);

    if (!(await this.arrive(method, req))) return;

    let outcome: Outcome;
    let aborted = false;
    if (token !== this.token) outcome = bad('Unauthorized', 401);
    else if (!METHOD_BY_LOWER.has(rawMethod.toLowerCase())) outcome = bad('Not Found: method not found', 404);
    else if ('error' in parsed) outcome = bad(parsed.error);
    else {
      const injected = this.takeFailure(method);
      if (injected) outcome = injected;
      else if (method === 'getUpdates') {
        const r = await this.getUpdates(params, res);
        outcome = r.outcome;
        aborted = r.aborted;
      } else outcome = this.dispatch(method as KnownMethod, params);
    }

    const response = recordedResponse(outcome);
    if (aborted) response.aborted = true;
    this.record(seq, { method, params, at, response, ...(req.headers[WEBHOOK_ANSWER_HEADER] ? { viaWebhook: true as const } : {}) });
    this.send(res, outcome.ok ? 200 : outcome.error_code, outcome);
  }

  /**
   * Hold a request for `setLatency` on its way in. False when it never arrives: the fake was closed
   * meanwhile, or its sender hung up (latency is the network's, on the way in: a request whose sender
   * hung up, e.g. a killed process, before it arrived never reached Telegram, so it is neither answered
   * nor recorded; its socket is gone, or has at least read the sender's FIN).
   */
  private async arrive(method: string, req: IncomingMessage): Promise<boolean> {
    const delay = this.latencyMs;
    this.arriving.set(method, (this.arriving.get(method) ?? 0) + 1);
    await this.sleep(delay);
    this.arriving.set(method, (this.arriving.get(method) ?? 1) - 1);
    if (this.closed) return false;
    return !(delay > 0 && (req.socket.destroyed || req.socket.readableEnded));
  }

  /**
   * `GET /file/bot<token>/<file_path>`: the bytes of a file, at the path getFile gave. Recorded as
   * `downloadFile` (so tests can assert what was downloaded) and open to `failNext('downloadFile', …)`.
   */
  private async download(
    req: IncomingMessage,
    res: ServerResponse,
    token: string,
    filePath: string,
    at: number,
    seq: number,
  ): Promise<void> {
    if (!(await this.arrive('downloadFile', req))) return;
    const record = (response: RecordedCall['response']): void => {
      this.record(seq, { method: 'downloadFile', params: { file_path: filePath }, at, response });
    };
    const fail = (failure: Failure): void => {
      record(recordedResponse(failure));
      this.send(res, failure.error_code, failure);
    };
    if (token !== this.token) {
      fail(bad('Unauthorized', 401));
      return;
    }
    const injected = this.takeFailure('downloadFile');
    if (injected) {
      fail(injected);
      return;
    }
    const file = this.filesByPath.get(filePath);
    if (!file) {
      fail(bad('Not Found', 404));
      return;
    }
    record({ ok: true, result: { file_size: file.bytes.length } });
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.bytes.length });
    res.end(file.bytes);
  }

  private storeFile(fileId: string, file: Omit<StoredFile, 'path'>, dir: 'documents' | 'photos'): void {
    const ext = /\.[A-Za-z0-9]{1,10}$/.exec(file.fileName ?? '')?.[0] ?? (dir === 'photos' ? '.jpg' : '');
    const stored: StoredFile = { ...file, path: `${dir}/file_${this.filePathSeq++}${ext}` };
    this.files.set(fileId, stored);
    this.filesByPath.set(stored.path, stored);
  }

  private getFile(p: Params): Outcome {
    const fileId = typeof p.file_id === 'string' ? p.file_id : '';
    const file = this.files.get(fileId);
    if (!file) return bad('Bad Request: invalid file_id');
    if (file.bytes.length > MAX_DOWNLOAD_BYTES) return bad('Bad Request: file is too big');
    const result: File = { file_id: fileId, file_unique_id: file.fileUniqueId, file_size: file.bytes.length, file_path: file.path };
    return { ok: true, result };
  }

  private takeFailure(method: string): Failure | null {
    const list = this.failures.get(method);
    const head = list?.[0];
    if (!list || !head) return null;
    head.remaining--;
    if (head.remaining <= 0) list.shift();
    if (head.remaining < 0) return this.takeFailure(method); // count was 0
    const { error_code, description, retry_after } = head.error;
    if (error_code === 429) {
      const after = retry_after ?? 1;
      return {
        ok: false,
        error_code,
        description: `Too Many Requests: retry after ${after}`,
        parameters: { retry_after: after },
      };
    }
    return { ok: false, error_code, description };
  }

  private getUpdates(params: Params, res: ServerResponse): Promise<{ outcome: Outcome; aborted: boolean }> {
    if (this.webhookUrl !== '') {
      return Promise.resolve({
        outcome: bad(
          "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
          409,
        ),
        aborted: false,
      });
    }
    const offset = asNumber(params.offset) ?? 0;
    const limit = Math.min(100, Math.max(1, asNumber(params.limit) ?? 100));
    const timeout = Math.max(0, asNumber(params.timeout) ?? 0);
    if (Array.isArray(params.allowed_updates)) {
      const list = params.allowed_updates.filter((x): x is string => typeof x === 'string');
      this.allowedUpdates = list.length > 0 ? list : null;
    }
    this.confirm(offset);
    this.poller?.finish(
      bad('Conflict: terminated by other getUpdates request; make sure that only one bot instance is running', 409),
    );
    const ready = this.takeUpdates(limit);
    if (ready.length > 0 || timeout === 0) {
      return Promise.resolve({ outcome: { ok: true, result: ready }, aborted: false });
    }
    this.pollLimit = limit;
    return new Promise((resolve) => {
      let done = false;
      const poller: Poller = {
        finish: (outcome) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          res.off('close', onClose);
          if (this.poller === poller) this.poller = null;
          resolve({ outcome, aborted: false });
        },
      };
      const onClose = (): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (this.poller === poller) this.poller = null;
        resolve({ outcome: { ok: true, result: [] }, aborted: true });
      };
      const timer = setTimeout(() => { poller.finish({ ok: true, result: this.takeUpdates(limit) }); }, timeout * 1000);
      res.on('close', onClose);
      this.poller = poller;
    });
  }

  private confirm(offset: number): void {
    if (offset > 0) {
      this.queue = this.queue.filter((u) => u.update_id >= offset);
      this.confirmedOffset = Math.max(this.confirmedOffset, offset);
    } else if (offset < 0) {
      const keep = -offset;
      const first = this.queue[Math.max(0, this.queue.length - keep)];
      if (first && this.queue.length > keep) {
        this.queue = this.queue.filter((u) => u.update_id >= first.update_id);
        this.confirmedOffset = Math.max(this.confirmedOffset, first.update_id);
      }
    }
  }

  private takeUpdates(limit: number): Update[] {
    const allowed = this.allowedUpdates;
    this.queue = this.queue.filter((u) => {
      const kind = Object.keys(u).find((k) => k !== 'update_id') ?? '';
      return allowed ? allowed.includes(kind) : !OPT_IN_UPDATES.has(kind);
    });
    return this.queue.slice(0, limit);
  }

  private rememberChats(update: Record<string, unknown>): void {
    for (const value of Object.values(update)) {
      if (!isRecord(value)) continue;
      const candidates = [value.chat, isRecord(value.message) ? value.message.chat : undefined];
      for (const chat of candidates) {
        if (isRecord(chat) && typeof chat.id === 'number' && typeof chat.type === 'string') {
          this.chats.set(chat.id, chat as unknown as Chat);
        }
      }
    }
  }

  private chatFor(id: number): Chat {
    const known = this.chats.get(id);
    if (known) return known;
    if (id > 0) return { id, type: 'private', first_name: 'Test User' };
    if (id <= -1_000_000_000_000) return { id, type: 'supergroup', title: 'Test supergroup' };
    return { id, type: 'group', title: 'Test group' };
  }

  private commandsKey(scope: unknown, languageCode: unknown): string {
    return JSON.stringify([isRecord(scope) ? scope : { type: 'default' }, typeof languageCode === 'string' ? languageCode : '']);
  }

  private chatStore(chatId: number): { nextId: number; byId: Map<number, StoredMessage> } {
    let store = this.messages.get(chatId);
    if (!store) {
      store = { nextId: 1, byId: new Map() };
      this.messages.set(chatId, store);
    }
    return store;
  }

  /** Validate text/caption; returns the plain text + entities or an error. */
  private checkText(
    value: unknown,
    parseMode: unknown,
    kind: 'text' | 'caption',
  ): { ok: true; text: string; entities: HtmlEntity[] } | { ok: false; outcome: Outcome } {
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- kept as is: the fake coerces any non-string text the bot sends, as its tests pin
    const raw = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
    let text = raw;
    let entities: HtmlEntity[] = [];
    if (typeof parseMode === 'string' && parseMode.toLowerCase() === 'html') {
      const parsed = parseTelegramHtml(raw);
      if (!parsed.ok) return { ok: false, outcome: bad(`Bad Request: can't parse entities: ${parsed.error}`) };
      text = parsed.text;
      entities = parsed.entities;
    }
    if (kind === 'text') {
      if (text.trim() === '') return { ok: false, outcome: bad('Bad Request: message text is empty') };
      if (text.length > 4096) return { ok: false, outcome: bad('Bad Request: message is too long') };
    } else if (text.length > 1024) {
      return { ok: false, outcome: bad('Bad Request: message caption is too long') };
    }
    return { ok: true, text, entities };
  }

  private checkMarkup(markup: unknown, chatId?: number): Outcome | null {
    if (markup === undefined || markup === null) return null;
    if (!isRecord(markup)) return bad("Bad Request: can't parse reply keyboard markup JSON object");
    const keyboard = markup.inline_keyboard;
    if (keyboard === undefined) return null;
    if (!Array.isArray(keyboard)) return bad('Bad Request: field "inline_keyboard" must be an Array');
    for (const row of keyboard) {
      if (!Array.isArray(row)) return bad('Bad Request: field "inline_keyboard" must be an Array of Arrays');
      for (const button of row) {
        if (!isRecord(button) || typeof button.text !== 'string') {
          return bad("Bad Request: can't parse inline keyboard button: Field \"text\" must be of type String");
        }
        if (!INLINE_BUTTON_ACTIONS.some((k) => button[k] !== undefined)) {
          return bad("Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
        }
        // Telegram: a web_app button can be sent only to a private chat.
        if (button.web_app !== undefined && chatId !== undefined && this.chatFor(chatId).type !== 'private') return bad('Bad Request: BUTTON_TYPE_INVALID');
        const data = button.callback_data;
        if (data !== undefined) {
          const bytes = typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : -1;
          if (bytes < 1 || bytes > 64) return bad('Bad Request: BUTTON_DATA_INVALID');
        }
      }
    }
    return null;
  }

  private checkRate(): Outcome | null {
    if (this.ratePerSecond === null) return null;
    const now = Date.now();
    this.sentAt = this.sentAt.filter((t) => now - t < 1000);
    if (this.sentAt.length >= this.ratePerSecond) {
      this.rateViolations++;
      return { ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } };
    }
    this.sentAt.push(now);
    return null;
  }

  private dispatch(method: KnownMethod, p: Params): Outcome {
    const chatId = asNumber(p.chat_id);
    if (MESSAGE_PRODUCING.has(method) || method === 'sendChatAction' || method === 'deleteMessage') {
      const inline = method.startsWith('edit') && typeof p.inline_message_id === 'string';
      if (!inline) {
        if (p.chat_id === undefined || p.chat_id === '') return bad('Bad Request: chat_id is empty');
        if (chatId === undefined) return bad('Bad Request: chat not found');
        if (this.blocked.has(chatId) && method !== 'deleteMessage') {
          return bad('Forbidden: bot was blocked by the user', 403);
        }
        const refusal = this.refusingGroups.get(chatId);
        if (refusal && method !== 'deleteMessage') return refusal;
      }
    }
    switch (method) {
      case 'getMe':
        return { ok: true, result: this.botUser };
      case 'setWebhook': {
        const url = typeof p.url === 'string' ? p.url : '';
        if (url !== '' && !/^https:\/\//i.test(url)) {
          return bad('Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
        }
        if (p.drop_pending_updates === true) this.queue = [];
        this.webhookUrl = url;
        if (url !== '') this.poller?.finish(bad('Conflict: terminated by setWebhook request', 409));
        return { ok: true, result: true };
      }
      case 'deleteWebhook':
        if (p.drop_pending_updates === true) this.queue = [];
        this.webhookUrl = '';
        return { ok: true, result: true };
      case 'getWebhookInfo': {
        const info: Record<string, unknown> = {
          url: this.webhookUrl,
          has_custom_certificate: false,
          pending_update_count: this.queue.length,
        };
        if (this.webhookUrl !== '') info.max_connections = 40;
        return { ok: true, result: info };
      }
      case 'sendMessage':
        return this.sendMessage(chatId ?? 0, p);
      case 'sendPhoto':
      case 'sendDocument':
        return this.sendMedia(method, chatId ?? 0, p);
      case 'editMessageText':
      case 'editMessageCaption':
      case 'editMessageReplyMarkup':
        return this.editMessage(method, chatId, p);
      case 'deleteMessage': {
        const messageId = asNumber(p.message_id);
        if (messageId === undefined) return bad('Bad Request: message identifier is not specified');
        const stored = this.chatStore(chatId ?? 0).byId.get(messageId);
        if (stored?.deleted) return bad('Bad Request: message to delete not found');
        if (stored) stored.deleted = true;
        return { ok: true, result: true };
      }
      case 'answerCallbackQuery': {
        const id = p.callback_query_id;
        const key = typeof id === 'string' || typeof id === 'number' ? String(id) : '';
        if (key === '' || this.answeredCallbacks.has(key)) {
          return bad('Bad Request: query is too old and response timeout expired or query ID is invalid');
        }
        this.answeredCallbacks.add(key);
        return { ok: true, result: true };
      }
      case 'sendChatAction':
        if (typeof p.action !== 'string' || !CHAT_ACTIONS.has(p.action)) {
          return bad('Bad Request: wrong parameter action in request');
        }
        return { ok: true, result: true };
      case 'setMyCommands': {
        const list = p.commands;
        if (!Array.isArray(list)) return bad('Bad Request: parameter "commands" is required');
        if (list.length > 100) return bad('Bad Request: too many commands specified');
        const commands: BotCommand[] = [];
        for (const c of list) {
          if (!isRecord(c) || typeof c.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(c.command)) {
            return bad('Bad Request: BOT_COMMAND_INVALID');
          }
          if (typeof c.description !== 'string' || c.description.trim() === '' || c.description.length > 256) {
            return bad('Bad Request: BOT_COMMAND_DESCRIPTION_INVALID');
          }
          commands.push({ command: c.command, description: c.description });
        }
        this.commands.set(this.commandsKey(p.scope, p.language_code), commands);
        return { ok: true, result: true };
      }
      case 'deleteMyCommands':
        this.commands.delete(this.commandsKey(p.scope, p.language_code));
        return { ok: true, result: true };
      case 'getMyCommands':
        return { ok: true, result: this.commands.get(this.commandsKey(p.scope, p.language_code)) ?? [] };
      case 'getFile':
        return this.getFile(p);
      case 'setChatMenuButton': {
        // Telegram: a web_app button needs text and an https URL (the fake accepts http for local runs).
        const b = p.menu_button === undefined ? { type: 'default' } : p.menu_button;
        if (!isRecord(b) || !['default', 'commands', 'web_app'].includes(String(b.type))) return bad('Bad Request: can\'t parse menu button: unsupported type');
        if (b.type === 'web_app') {
          const url = isRecord(b.web_app) ? b.web_app.url : undefined;
          if (typeof b.text !== 'string' || b.text.trim() === '') return bad('Bad Request: can\'t parse menu button: text is empty');
          if (typeof url !== 'string' || !/^https?:\/\//.test(url)) return bad('Bad Request: BUTTON_URL_INVALID');
          if (chatId !== undefined) this.menuButtons.set(chatId, { type: 'web_app', text: b.text, web_app: { url } });
        } else if (chatId !== undefined) this.menuButtons.set(chatId, { type: b.type === 'commands' ? 'commands' : 'default' });
        return { ok: true, result: true };
      }
      case 'getChatMenuButton':
        return { ok: true, result: chatId === undefined ? { type: 'default' } : this.menuButtonOf(chatId) };
      case 'answerInlineQuery': {
        const checked = checkInlineAnswer(p, {
          text: (value, parseMode) => {
            const c = this.checkText(value, parseMode, 'text');
            return c.ok ? { ok: true, text: c.text } : { ok: false, description: c.outcome.ok ? '' : c.outcome.description.replace(/^Bad Request: /, '') };
          },
          markup: (markup) => {
            const m = this.checkMarkup(markup);
            return m && !m.ok ? m.description.replace(/^Bad Request: /, '') : null;
          },
        });
        if (!checked.ok) return bad(checked.description);
        if (this.inlineAnswers.has(checked.answer.queryId)) {
          return bad('Bad Request: query is too old and response timeout expired or query ID is invalid');
        }
        this.inlineAnswers.set(checked.answer.queryId, checked.answer);
        return { ok: true, result: true };
      }
      case 'getUpdates':
        return bad('Bad Request: getUpdates is handled elsewhere', 500);
    }
  }

  private newMessage(chatId: number, fields: Record<string, unknown>, source: string, markup: unknown): Message {
    const store = this.chatStore(chatId);
    const message_id = store.nextId++;
    const message = {
      message_id,
      from: { id: this.botUser.id, is_bot: true, first_name: this.botUser.first_name, username: this.botUser.username },
      chat: this.chatFor(chatId),
      date: nowSeconds(),
      ...fields,
    } as StoredMessage['message'];
    if (isRecord(markup) && markup.inline_keyboard !== undefined) message.reply_markup = markup;
    store.byId.set(message_id, {
      message,
      source,
      markup: isRecord(markup) && markup.inline_keyboard !== undefined ? JSON.stringify(markup) : '',
      deleted: false,
    });
    return message;
  }

  private sendMessage(chatId: number, p: Params): Outcome {
    const checked = this.checkText(p.text, p.parse_mode, 'text');
    if (!checked.ok) return checked.outcome;
    const markupError = this.checkMarkup(p.reply_markup, chatId);
    if (markupError) return markupError;
    const rate = this.checkRate();
    if (rate) return rate;
    const fields: Record<string, unknown> = { text: checked.text };
    if (checked.entities.length > 0) fields.entities = checked.entities;
    const source = JSON.stringify([p.text, p.parse_mode ?? null]);
    return { ok: true, result: this.newMessage(chatId, fields, source, p.reply_markup) };
  }

  private sendMedia(method: 'sendPhoto' | 'sendDocument', chatId: number, p: Params): Outcome {
    const field = method === 'sendPhoto' ? 'photo' : 'document';
    const media = p[field];
    if (media === undefined || media === '') return bad(`Bad Request: there is no ${field} in the request`);
    const checked = this.checkText(p.caption, p.parse_mode, 'caption');
    if (!checked.ok) return checked.outcome;
    const markupError = this.checkMarkup(p.reply_markup);
    if (markupError) return markupError;
    const rate = this.checkRate();
    if (rate) return rate;
    const store = this.chatStore(chatId);
    const tag = `${chatId}_${store.nextId}`;
    // The bytes behind the sent file: a multipart upload's, or those of a file_id the fake knows (a URL or
    // an unknown file_id has none). The sent file gets them under its new file_id, so it is getFile-able.
    const known = typeof media === 'string' ? this.files.get(media) : undefined;
    const bytes = isRecord(media) && Buffer.isBuffer(media.bytes) ? media.bytes : known?.bytes;
    const size = bytes?.length ?? 48_213;
    const fields: Record<string, unknown> = {};
    if (method === 'sendPhoto') {
      const photo: PhotoSize[] = [
        { file_id: `AgACAgFake${tag}_s`, file_unique_id: `AQADs${tag}`, width: 90, height: 68, file_size: Math.min(size, 1_500) },
        { file_id: `AgACAgFake${tag}_m`, file_unique_id: `AQADm${tag}`, width: 320, height: 240, file_size: Math.min(size, 17_000) },
        { file_id: `AgACAgFake${tag}_x`, file_unique_id: `AQADx${tag}`, width: 1280, height: 960, file_size: size },
      ];
      // the fake does not resize: every size serves the original bytes
      if (bytes) for (const s of photo) this.storeFile(s.file_id, { bytes, fileUniqueId: s.file_unique_id }, 'photos');
      fields.photo = photo;
    } else {
      const doc: Document = { file_id: `BQACAgFake${tag}`, file_unique_id: known?.fileUniqueId ?? `AgADd${tag}`, file_size: size };
      const fileName = isRecord(media) && typeof media.filename === 'string' ? media.filename : known?.fileName;
      if (fileName !== undefined) doc.file_name = fileName;
      if (known?.mimeType !== undefined) doc.mime_type = known.mimeType;
      if (bytes) {
        this.storeFile(doc.file_id, { bytes, fileUniqueId: doc.file_unique_id, fileName, mimeType: doc.mime_type }, 'documents');
      }
      fields.document = doc;
    }
    if (checked.text !== '') fields.caption = checked.text;
    if (checked.entities.length > 0) fields.caption_entities = checked.entities;
    const source = JSON.stringify([p.caption ?? '', p.parse_mode ?? null]);
    return { ok: true, result: this.newMessage(chatId, fields, source, p.reply_markup) };
  }

  private editMessage(
    method: 'editMessageText' | 'editMessageCaption' | 'editMessageReplyMarkup',
    chatId: number | undefined,
    p: Params,
  ): Outcome {
    let checked: { ok: true; text: string; entities: HtmlEntity[] } | null = null;
    if (method !== 'editMessageReplyMarkup') {
      const c = this.checkText(
        method === 'editMessageText' ? p.text : p.caption,
        p.parse_mode,
        method === 'editMessageText' ? 'text' : 'caption',
      );
      if (!c.ok) return c.outcome;
      checked = c;
    }
    const markupError = this.checkMarkup(p.reply_markup);
    if (markupError) return markupError;
    const markup = isRecord(p.reply_markup) && p.reply_markup.inline_keyboard !== undefined ? p.reply_markup : undefined;
    const markupJson = markup ? JSON.stringify(markup) : '';

    if (typeof p.inline_message_id === 'string' && chatId === undefined) {
      const rate = this.checkRate();
      return rate ?? { ok: true, result: true };
    }
    const messageId = asNumber(p.message_id);
    if (messageId === undefined) return bad('Bad Request: message identifier is not specified');
    const store = this.chatStore(chatId ?? 0);
    let stored = store.byId.get(messageId);
    if (stored?.deleted) return bad('Bad Request: message to edit not found');
    const source =
      method === 'editMessageText'
        ? JSON.stringify([p.text, p.parse_mode ?? null])
        : method === 'editMessageCaption'
          ? JSON.stringify([p.caption ?? '', p.parse_mode ?? null])
          : (stored?.source ?? '');
    if (stored?.source === source && stored.markup === markupJson) return bad(NOT_MODIFIED);
    const rate = this.checkRate();
    if (rate) return rate;

    if (!stored) {
      // A message this fake never produced (e.g. from a callbackUpdate built by hand): adopt it.
      const message = {
        message_id: messageId,
        from: { id: this.botUser.id, is_bot: true, first_name: this.botUser.first_name, username: this.botUser.username },
        chat: this.chatFor(chatId ?? 0),
        date: nowSeconds(),
        } as StoredMessage['message'];
      stored = { message, source: '', markup: '', deleted: false };
      store.byId.set(messageId, stored);
      store.nextId = Math.max(store.nextId, messageId + 1);
    }
    const msg = stored.message as unknown as Record<string, unknown>;
    if (method === 'editMessageText' && checked) {
      if (msg.photo !== undefined || msg.document !== undefined) {
        return bad('Bad Request: there is no text in the message to edit');
      }
      msg.text = checked.text;
      if (checked.entities.length > 0) msg.entities = checked.entities;
      else delete msg.entities;
    } else if (method === 'editMessageCaption' && checked) {
      if (typeof msg.text === 'string') return bad('Bad Request: there is no caption in the message to edit');
      if (checked.text !== '') msg.caption = checked.text;
      else delete msg.caption;
      if (checked.entities.length > 0) msg.caption_entities = checked.entities;
      else delete msg.caption_entities;
    }
    if (markup) msg.reply_markup = markup;
    else delete msg.reply_markup;
    msg.edit_date = nowSeconds();
    stored.source = source;
    stored.markup = markupJson;
    return { ok: true, result: { ...msg } };
  }
}
