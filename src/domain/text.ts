const ELLIPSIS = '…';

// Telegram's HTML parse mode only understands these four entities.
const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => HTML_ENTITIES[c] ?? c);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Length is in UTF-16 code units, which is what Telegram's limits count. */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  if (max < ELLIPSIS.length) return '';
  let cut = max - ELLIPSIS.length;
  if (cut > 0 && isHighSurrogate(s.charCodeAt(cut - 1))) cut--;
  return s.slice(0, cut) + ELLIPSIS;
}

/** Telegram-HTML text as plain text, for a file or a cell: tags dropped, the four entities undone. */
export function stripHtml(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}
