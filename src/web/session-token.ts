import { createHmac, timingSafeEqual } from 'node:crypto';

/** Hours, not days: the role is re-read on every call anyway, and a lost token dies soon. */
export const SESSION_TTL_MS = 4 * 3600_000;

/**
 * The key is derived from the bot token with its own label, so a session token can never pass for
 * anything Telegram signs with the same secret (initData uses "WebAppData").
 */
export function sessionKey(botToken: string): Buffer {
  return createHmac('sha256', 'EtalaseWebApp').update(botToken).digest();
}

function mac(key: Buffer, payload: string): Buffer {
  return createHmac('sha256', key).update(payload).digest();
}

/** `base64url(userId.expiresAtMs).base64url(hmac)`: stateless, nothing stored server-side. */
export function issueSessionToken(botToken: string, userId: bigint, now: Date): { token: string; expiresAt: Date } {
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  const payload = `${userId}.${expiresAt.getTime()}`;
  const token = `${Buffer.from(payload).toString('base64url')}.${mac(sessionKey(botToken), payload).toString('base64url')}`;
  return { token, expiresAt };
}

/** Equal-length buffers compared in constant time (a length difference says nothing secret). */
export function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The user id the token was issued to, or null when it is malformed, forged or expired. */
export function verifySessionToken(botToken: string, token: string, now: Date): bigint | null {
  const m = /^([A-Za-z0-9_-]{1,80})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return null;
  const payload = Buffer.from(m[1]!, 'base64url').toString();
  if (!sameBytes(mac(sessionKey(botToken), payload), Buffer.from(m[2]!, 'base64url'))) return null;
  const p = /^(\d{1,20})\.(\d{1,16})$/.exec(payload);
  if (!p) return null;
  if (Number(p[2]) <= now.getTime()) return null;
  return BigInt(p[1]!);
}
