/** Checks on one recorded Bot API call, independent of the bot's exact wording. */
import { checkTelegramHtml, parseTelegramHtml, type RecordedCall } from '../support/fake-bot-api.js';
import { FORBIDDEN } from './plan.js';

/** Private data: digits (matched ignoring spaces, dots, dashes, brackets and +) or a literal text. */
export interface Marker { name: string; digits?: string; text?: string }

const TEXT_METHODS = new Set(['sendMessage', 'editMessageText']);
const CAPTION_METHODS = new Set(['sendPhoto', 'sendDocument', 'editMessageCaption']);
const ALLOWED_400 = /message is not modified|query is too old/;

const isHtml = (params: Record<string, unknown>): boolean => typeof params.parse_mode === 'string' && params.parse_mode.toLowerCase() === 'html';

function plain(raw: string, html: boolean): string {
  if (!html) return raw;
  const parsed = parseTelegramHtml(raw);
  return parsed.ok ? parsed.text : raw;
}

function checkContent(method: string, raw: string, html: boolean, limit: number, mayBeEmpty: boolean): string[] {
  const problems: string[] = [];
  const shown = plain(raw, html);
  const quote = JSON.stringify(raw.length > 500 ? `${raw.slice(0, 500)}… (${raw.length} chars)` : raw);
  if (!mayBeEmpty && shown.trim() === '') problems.push(`${method} with empty text: ${quote}`);
  if (shown.length > limit) problems.push(`${method} text of ${shown.length} characters (limit ${limit}): ${quote}`);
  const bad = FORBIDDEN.exec(shown);
  if (bad) problems.push(`${method} shows "${bad[0]}": ${quote}`);
  if (html) {
    const htmlError = checkTelegramHtml(raw);
    if (htmlError) problems.push(`${method} HTML refused (${htmlError}): ${quote}`);
  }
  return problems;
}

function checkMarkup(method: string, markup: unknown): string[] {
  if (typeof markup !== 'object' || markup === null) return [];
  const problems: string[] = [];
  for (const key of ['inline_keyboard', 'keyboard'] as const) {
    const rows = (markup as Record<string, unknown>)[key];
    if (!Array.isArray(rows)) continue;
    for (const row of rows) {
      if (!Array.isArray(row)) continue;
      for (const button of row as unknown[]) {
        const label = typeof button === 'string' ? button : typeof button === 'object' && button !== null ? (button as { text?: unknown }).text : undefined;
        if (typeof label !== 'string' || label.trim() === '') problems.push(`${method} has a button without a label: ${JSON.stringify(button)}`);
        else if (FORBIDDEN.test(label)) problems.push(`${method} has a button labelled ${JSON.stringify(label)}`);
        const data = typeof button === 'object' && button !== null ? (button as { callback_data?: unknown }).callback_data : undefined;
        if (data !== undefined && (typeof data !== 'string' || FORBIDDEN.test(data))) problems.push(`${method} has a button with data ${JSON.stringify(data)}`);
      }
    }
  }
  return problems;
}

export function checkCall(call: RecordedCall): string[] {
  const { method, params, response } = call;
  const problems: string[] = [];
  if (method === 'getUpdates') return problems;
  if (!response.ok && response.error_code === 400 && !ALLOWED_400.test(response.description ?? '')) {
    const body = typeof params.text === 'string' ? params.text : typeof params.caption === 'string' ? params.caption : '';
    problems.push(`Bot API answered 400 to ${method}: ${response.description ?? ''} — sent ${JSON.stringify(body.slice(0, 300))} (${body.length} chars)`);
  }
  if (TEXT_METHODS.has(method)) {
    problems.push(...checkContent(method, typeof params.text === 'string' ? params.text : String(params.text), isHtml(params), 4096, false));
  } else if (CAPTION_METHODS.has(method) && typeof params.caption === 'string') {
    problems.push(...checkContent(method, params.caption, isHtml(params), 1024, true));
  } else if (method === 'answerCallbackQuery' && typeof params.text === 'string') {
    problems.push(...checkContent(method, params.text, false, 200, true));
  }
  problems.push(...checkMarkup(method, params.reply_markup));
  return problems;
}

const compact = (s: string): string => s.replace(/[\s.\-()+\u00A0\u202F]/g, '');

/** The first marker the text contains, or null. */
export function leakIn(text: string, markers: Marker[]): string | null {
  const c = compact(text);
  for (const m of markers) {
    if (m.digits !== undefined && c.includes(m.digits)) return m.name;
    if (m.text !== undefined && text.includes(m.text)) return m.name;
  }
  return null;
}
