/** Telegram's stand-in for an anonymous group admin: it is not a person and never an official. */
export const ANONYMOUS_ADMIN_ID = 1087968824;
/** Telegram's service account that forwards channel posts into linked groups. */
export const SERVICE_CHAT_ID = 777000;

export function isRealPerson(from: { id: number; is_bot: boolean } | undefined, senderChat: unknown): boolean {
  if (!from || from.is_bot) return false;
  if (senderChat) return false;
  return from.id !== ANONYMOUS_ADMIN_ID && from.id !== SERVICE_CHAT_ID;
}

/** `/start` payloads are at most 64 characters of A-Z a-z 0-9 _ -; anything else is ignored. */
export function parseStartPayload(text: string | undefined): string | null {
  if (!text) return null;
  const m = /^\/start(?:@\w+)?\s+(\S+)\s*$/.exec(text);
  const payload = m?.[1];
  return payload && /^[A-Za-z0-9_-]{1,64}$/.test(payload) ? payload : null;
}
