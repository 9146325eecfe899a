import { createHmac } from 'node:crypto';
import { sameBytes, sessionKey } from './session-token.js';

/** A download cannot carry the Authorization header, so its URL carries a short-lived signature. */
export const REPORT_LINK_TTL_MS = 5 * 60_000;

function reportMac(botToken: string, campaignId: number, userId: bigint, exp: number): Buffer {
  return createHmac('sha256', sessionKey(botToken)).update(`report.${campaignId}.${userId}.${exp}`).digest();
}

/** The query string of a signed report URL: who asked (the role is re-checked at download), until when. */
export function signReportQuery(botToken: string, campaignId: number, userId: bigint, now: Date): string {
  const exp = now.getTime() + REPORT_LINK_TTL_MS;
  const sig = reportMac(botToken, campaignId, userId, exp).toString('base64url');
  return new URLSearchParams({ uid: String(userId), exp: String(exp), sig }).toString();
}

/** The user the link was signed for, or null when tampered with or expired. */
export function verifyReportQuery(botToken: string, campaignId: number, query: URLSearchParams, now: Date): bigint | null {
  const uid = query.get('uid') ?? '';
  const exp = query.get('exp') ?? '';
  const sig = query.get('sig') ?? '';
  if (!/^\d{1,20}$/.test(uid) || !/^\d{1,16}$/.test(exp) || !/^[A-Za-z0-9_-]{43}$/.test(sig)) return null;
  const userId = BigInt(uid);
  if (!sameBytes(reportMac(botToken, campaignId, userId, Number(exp)), Buffer.from(sig, 'base64url'))) return null;
  if (Number(exp) <= now.getTime()) return null;
  return userId;
}
