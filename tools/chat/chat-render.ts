/**
 * Turns the Bot API calls the bot made (as recorded by `FakeBotApi`) into what a Telegram user would
 * see, as terminal text, and keeps the numbered buttons that `#2` presses. Pure: no I/O here.
 */
import { BOT_USERNAME, parseTelegramHtml, type RecordedCall } from '../fake-bot-api/index.js';

export type ButtonAction =
  | { kind: 'callback'; data: string }
  | { kind: 'url'; url: string }
  | { kind: 'copy'; text: string }
  | { kind: 'text'; text: string }
  | { kind: 'contact' }
  | { kind: 'web_app'; url: string }
  | { kind: 'unsupported'; what: string };

export interface ChatButton {
  n: number;
  label: string;
  /** The message the button is attached to (inline keyboards); 0 for a reply keyboard. */
  messageId: number;
  reply: boolean;
  action: ButtonAction;
}

/** One thing that appeared in a chat: a message, an edit, a toast or a refused call. */
export interface ChatEvent {
  chatId: number;
  text: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const asNumber = (v: unknown): number | undefined => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  return undefined;
};

/** Text as Telegram shows it: markup stripped, entities decoded; a link's target follows its text. */
export function displayText(raw: string, parseMode: unknown): string {
  if (typeof parseMode !== 'string' || parseMode.toLowerCase() !== 'html') return raw;
  const parsed = parseTelegramHtml(raw);
  if (!parsed.ok) return raw;
  let text = parsed.text;
  const links = parsed.entities
    .filter((e) => e.type === 'text_link' && e.url !== undefined)
    .sort((a, b) => b.offset + b.length - (a.offset + a.length));
  for (const link of links) {
    const end = link.offset + link.length;
    const shown = text.slice(link.offset, end);
    if (link.url && shown !== link.url) text = `${text.slice(0, end)} (${link.url})${text.slice(end)}`;
  }
  return text;
}

/** Lines of a bot message: the first after `🤖 `, the rest indented under it. */
export function botLines(body: string, tag = ''): string[] {
  const lines = body.split('\n');
  const first = lines.shift() ?? '';
  return [`🤖 ${tag}${first}`, ...lines.map((l) => (l === '' ? '' : `   ${l}`))];
}

type RawButton = Record<string, unknown>;

function rowsOf(markup: unknown, key: 'inline_keyboard' | 'keyboard'): RawButton[][] | undefined {
  if (!isRecord(markup)) return undefined;
  const rows = markup[key];
  if (!Array.isArray(rows)) return undefined;
  return rows.map((row) => (Array.isArray(row) ? row.filter(isRecord) : []));
}

function inlineAction(b: RawButton): ButtonAction {
  if (typeof b.callback_data === 'string') return { kind: 'callback', data: b.callback_data };
  if (typeof b.url === 'string') return { kind: 'url', url: b.url };
  if (isRecord(b.copy_text) && typeof b.copy_text.text === 'string') return { kind: 'copy', text: b.copy_text.text };
  if (isRecord(b.web_app) && typeof b.web_app.url === 'string') return { kind: 'web_app', url: b.web_app.url };
  const what = Object.keys(b).find((k) => k !== 'text') ?? 'unknown';
  return { kind: 'unsupported', what };
}

function replyAction(b: RawButton): ButtonAction {
  if (b.request_contact === true) return { kind: 'contact' };
  const other = ['request_location', 'request_poll', 'request_users', 'request_chat', 'web_app'].find((k) => b[k] !== undefined);
  if (other) return { kind: 'unsupported', what: other };
  return { kind: 'text', text: typeof b.text === 'string' ? b.text : '' };
}

/** `https://t.me/<bot>?start=PAYLOAD` → `PAYLOAD`: pressing such a link sends `/start PAYLOAD`. */
export function startPayloadOf(url: string, botUsername = BOT_USERNAME): string | undefined {
  const m = /^(?:https?:\/\/)?t\.me\/([A-Za-z0-9_]+)\?start=([A-Za-z0-9_-]{1,64})$/.exec(url);
  return m && m[1]?.toLowerCase() === botUsername.toLowerCase() ? m[2] : undefined;
}

/**
 * The buttons of one chat, numbered as they are drawn. Numbering starts again at 1 with the first
 * keyboard the bot shows after the user did something, so `#1` right after `/start` is the first button
 * of that answer; until then the earlier numbers stay valid.
 */
export class ChatKeyboards {
  private buttons: ChatButton[] = [];
  private fresh = true;
  private next = 1;

  /** The user sent something: the next keyboard starts at [1]. */
  userActed(): void {
    this.fresh = true;
  }

  current(): readonly ChatButton[] {
    return this.buttons;
  }

  find(ref: string): ChatButton | undefined {
    if (/^\d+$/.test(ref)) return this.buttons.find((b) => b.n === Number(ref));
    const want = ref.trim().toLowerCase();
    if (want === '') return undefined;
    return this.buttons.find((b) => b.label.toLowerCase() === want) ?? this.buttons.find((b) => b.label.toLowerCase().includes(want));
  }

  dropMessage(messageId: number): void {
    this.buttons = this.buttons.filter((b) => b.reply || b.messageId !== messageId);
  }

  dropReply(): void {
    this.buttons = this.buttons.filter((b) => !b.reply);
  }

  /** Numbers the keyboard of `messageId` (replacing its earlier buttons) and returns the lines that draw it. */
  show(messageId: number, rows: { label: string; action: ButtonAction }[][], reply: boolean): string[] {
    if (this.fresh) {
      this.buttons = [];
      this.next = 1;
      this.fresh = false;
    } else if (reply) {
      this.dropReply();
    } else {
      this.dropMessage(messageId);
    }
    const lines: string[] = [];
    for (const row of rows) {
      const cells: string[] = [];
      for (const { label, action } of row) {
        const n = this.next++;
        this.buttons.push({ n, label, messageId: reply ? 0 : messageId, reply, action });
        cells.push(`[${n}] ${label}${buttonHint(action)}`);
      }
      if (cells.length > 0) lines.push(`   ${reply ? '⌨️  ' : ''}${cells.join('  ')}`);
    }
    return lines;
  }
}

function buttonHint(action: ButtonAction): string {
  switch (action.kind) {
    case 'url':
      return ' 🔗';
    case 'web_app':
      return ' (Mini App: mencetak tautan lokal)';
    case 'contact':
      return ' (kirim kontak)';
    case 'unsupported':
      return ` (${action.what}: tidak didukung di sini)`;
    default:
      return '';
  }
}

const NOT_MODIFIED = /message is not modified/i;
const SHOWN_METHODS = new Set(['sendMessage', 'sendPhoto', 'sendDocument', 'editMessageText', 'editMessageCaption', 'editMessageReplyMarkup']);

/**
 * What one recorded call shows in a chat, updating that chat's keyboards. `keyboards(chatId)` gives the
 * keyboard state of a chat; `callbackChat` maps a callback query id back to the chat it was pressed in.
 */
export function renderCall(
  call: RecordedCall,
  keyboards: (chatId: number) => ChatKeyboards,
  callbackChat: (callbackQueryId: string) => number | undefined,
): ChatEvent | undefined {
  const p = call.params;
  const chatId = asNumber(p.chat_id);

  if (call.method === 'answerCallbackQuery') {
    const id = typeof p.callback_query_id === 'string' || typeof p.callback_query_id === 'number' ? String(p.callback_query_id) : '';
    const chat = callbackChat(id);
    if (chat === undefined || typeof p.text !== 'string' || p.text === '') return undefined;
    return { chatId: chat, text: `${p.show_alert === true ? '⚠️ (peringatan)' : '🔔'} ${p.text}` };
  }
  if (call.method === 'deleteMessage') {
    const messageId = asNumber(p.message_id);
    if (chatId === undefined || messageId === undefined || !call.response.ok) return undefined;
    keyboards(chatId).dropMessage(messageId);
    return { chatId, text: '🤖 (pesan dihapus)' };
  }
  if (!SHOWN_METHODS.has(call.method)) {
    if (!call.response.ok && call.method !== 'getUpdates' && chatId !== undefined) {
      return { chatId, text: `⚠️ Bot API menolak ${call.method}: ${call.response.description ?? call.response.error_code ?? '?'}` };
    }
    return undefined;
  }
  if (chatId === undefined) return undefined;
  if (!call.response.ok) {
    if (NOT_MODIFIED.test(call.response.description ?? '')) return undefined;
    return { chatId, text: `⚠️ Bot API menolak ${call.method}: ${call.response.description ?? call.response.error_code ?? '?'}` };
  }

  const result = call.response.result;
  const messageId = asNumber(p.message_id) ?? (isRecord(result) ? asNumber(result.message_id) : undefined) ?? 0;
  const kb = keyboards(chatId);
  const edit = call.method.startsWith('edit');
  const lines: string[] = [];
  switch (call.method) {
    case 'sendMessage':
    case 'editMessageText': {
      const text = displayText(typeof p.text === 'string' ? p.text : '', p.parse_mode);
      lines.push(...botLines(text, edit ? '(diedit) ' : ''));
      break;
    }
    case 'sendPhoto':
    case 'sendDocument':
    case 'editMessageCaption': {
      const caption = typeof p.caption === 'string' ? displayText(p.caption, p.parse_mode) : '';
      let tag = '(diedit) ';
      if (call.method === 'sendPhoto') tag = '[foto]';
      else if (call.method === 'sendDocument') {
        const doc = isRecord(result) && isRecord(result.document) ? result.document : undefined;
        const upload = isRecord(p.document) ? p.document : undefined;
        const name = (typeof doc?.file_name === 'string' ? doc.file_name : undefined) ?? (typeof upload?.filename === 'string' ? upload.filename : undefined);
        tag = name ? `[dokumen ${name}]` : '[dokumen]';
      }
      lines.push(...botLines(caption, caption === '' || edit ? tag : `${tag} `));
      break;
    }
    case 'editMessageReplyMarkup':
      break;
  }

  const inline = rowsOf(p.reply_markup, 'inline_keyboard');
  const reply = rowsOf(p.reply_markup, 'keyboard');
  if (inline) {
    const drawn = kb.show(
      messageId,
      inline.map((row) => row.map((b) => ({ label: typeof b.text === 'string' ? b.text : '?', action: inlineAction(b) }))),
      false,
    );
    if (call.method === 'editMessageReplyMarkup') lines.push('🤖 (tombol diperbarui)');
    lines.push(...drawn);
  } else if (reply) {
    lines.push(
      ...kb.show(
        0,
        reply.map((row) => row.map((b) => ({ label: typeof b.text === 'string' ? b.text : '?', action: replyAction(b) }))),
        true,
      ),
    );
  } else {
    if (edit) kb.dropMessage(messageId);
    if (isRecord(p.reply_markup) && p.reply_markup.remove_keyboard === true) kb.dropReply();
  }
  if (lines.length === 0) return undefined;
  return { chatId, text: lines.join('\n') };
}
