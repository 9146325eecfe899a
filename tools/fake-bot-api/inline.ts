/**
 * `answerInlineQuery` as Telegram checks it, for `FakeBotApi`: the results (at most 50, ids 1-64 bytes
 * and distinct, an article's title and its message, whose HTML and length are checked like a sent
 * message's, URL buttons), `cache_time`, `is_personal`, and the button above the results (Bot API 6.7+,
 * `start_parameter` as a deep link's payload) or its older form `switch_pm_text` / `switch_pm_parameter`.
 */

/** What one answer said, as `FakeBotApi.inlineAnswer` returns it. */
export interface InlineAnswer {
  queryId: string;
  results: InlineResult[];
  cacheTime: number | undefined;
  isPersonal: boolean | undefined;
  button: { text: string; start_parameter?: string; web_app?: { url: string } } | undefined;
}

/** One result of an answer, with its message as the chat would show it (markup stripped). */
export interface InlineResult {
  type: string;
  id: string;
  title?: string;
  description?: string;
  /** `input_message_content.message_text` exactly as sent */
  messageText?: string;
  /** the same, as displayed (HTML parsed) */
  plainText?: string;
  parseMode?: string;
  replyMarkup?: unknown;
  raw: Record<string, unknown>;
}

type Checked = { ok: true; text: string } | { ok: false; description: string };

export interface InlineChecks {
  /** The fake's own check of a message text under a parse mode (what sendMessage would refuse). */
  text(value: unknown, parseMode: unknown): Checked;
  /** The fake's own check of an inline keyboard; a description when Telegram would refuse it. */
  markup(markup: unknown): string | null;
}

const RESULT_TYPES = new Set([
  'article', 'photo', 'gif', 'mpeg4_gif', 'video', 'audio', 'voice', 'document', 'location', 'venue', 'contact', 'game', 'sticker',
]);
const START_PARAMETER = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_RESULTS = 50;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks an answer; the `InlineAnswer` it records, or the description Telegram would answer with (400). */
export function checkInlineAnswer(p: Record<string, unknown>, checks: InlineChecks): { ok: true; answer: InlineAnswer } | { ok: false; description: string } {
  const fail = (description: string) => ({ ok: false as const, description: `Bad Request: ${description}` });
  const queryId = typeof p.inline_query_id === 'string' || typeof p.inline_query_id === 'number' ? String(p.inline_query_id) : '';
  if (queryId === '') return fail('query is too old and response timeout expired or query ID is invalid');
  if (!Array.isArray(p.results)) return fail('parameter "results" is required');
  if (p.results.length > MAX_RESULTS) return fail('RESULTS_TOO_MUCH');
  if (p.cache_time !== undefined && (typeof p.cache_time !== 'number' || p.cache_time < 0)) return fail('wrong parameter cache_time');
  if (p.is_personal !== undefined && typeof p.is_personal !== 'boolean') return fail('wrong parameter is_personal');
  const ids = new Set<string>();
  const results: InlineResult[] = [];
  for (const r of p.results) {
    if (!isRecord(r) || typeof r.type !== 'string' || !RESULT_TYPES.has(r.type)) return fail("can't parse inline query result: unsupported type");
    const id = typeof r.id === 'string' ? r.id : '';
    const bytes = Buffer.byteLength(id, 'utf8');
    if (bytes < 1 || bytes > 64) return fail('RESULT_ID_INVALID');
    if (ids.has(id)) return fail('RESULT_ID_DUPLICATE');
    ids.add(id);
    const result: InlineResult = { type: r.type, id, raw: r };
    if (r.type === 'article') {
      if (typeof r.title !== 'string' || r.title.trim() === '') return fail('RESULT_TITLE_EMPTY');
      result.title = r.title;
      if (r.description !== undefined) {
        if (typeof r.description !== 'string') return fail("can't parse inline query result: Field \"description\" must be of type String");
        result.description = r.description;
      }
      const content = r.input_message_content;
      if (!isRecord(content)) return fail("can't parse inline query result: Field \"input_message_content\" must be of type Object");
      if (typeof content.message_text !== 'string') return fail('MESSAGE_EMPTY');
      const text = checks.text(content.message_text, content.parse_mode);
      if (!text.ok) return fail(text.description);
      result.messageText = content.message_text;
      result.plainText = text.text;
      if (typeof content.parse_mode === 'string') result.parseMode = content.parse_mode;
    }
    if (r.reply_markup !== undefined) {
      const markup = checks.markup(r.reply_markup);
      if (markup !== null) return fail(markup);
      const bad = urlButtons(r.reply_markup).find((u) => !/^(https?|tg):\/\/\S+$/i.test(u));
      if (bad !== undefined) return fail('BUTTON_URL_INVALID');
      result.replyMarkup = r.reply_markup;
    }
    results.push(result);
  }
  let button: InlineAnswer['button'];
  if (p.button !== undefined) {
    const b = p.button;
    if (!isRecord(b) || typeof b.text !== 'string' || b.text.trim() === '') return fail("can't parse inline query results button: text is empty");
    const start = b.start_parameter;
    const webApp = isRecord(b.web_app) && typeof b.web_app.url === 'string' ? { url: b.web_app.url } : undefined;
    if (start === undefined && webApp === undefined) return fail("can't parse inline query results button: start_parameter or web_app is required");
    if (start !== undefined && (typeof start !== 'string' || !START_PARAMETER.test(start))) return fail('START_PARAM_INVALID');
    button = { text: b.text, ...(typeof start === 'string' ? { start_parameter: start } : {}), ...(webApp ? { web_app: webApp } : {}) };
  } else if (p.switch_pm_text !== undefined || p.switch_pm_parameter !== undefined) {
    const start = p.switch_pm_parameter;
    if (typeof p.switch_pm_text !== 'string' || p.switch_pm_text.trim() === '') return fail('SWITCH_PM_TEXT_EMPTY');
    if (typeof start !== 'string' || !START_PARAMETER.test(start)) return fail('START_PARAM_INVALID');
    button = { text: p.switch_pm_text, start_parameter: start };
  }
  return {
    ok: true,
    answer: {
      queryId,
      results,
      cacheTime: typeof p.cache_time === 'number' ? p.cache_time : undefined,
      isPersonal: typeof p.is_personal === 'boolean' ? p.is_personal : undefined,
      button,
    },
  };
}

function urlButtons(markup: unknown): string[] {
  if (!isRecord(markup) || !Array.isArray(markup.inline_keyboard)) return [];
  const rows: unknown[] = markup.inline_keyboard;
  const buttons = rows.flatMap((row): unknown[] => (Array.isArray(row) ? (row as unknown[]) : []));
  // A url that is not a string is refused as an invalid URL, as Telegram does.
  return buttons.flatMap((b) => (isRecord(b) && b.url !== undefined ? [typeof b.url === 'string' ? b.url : ''] : []));
}
