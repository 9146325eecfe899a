/**
 * What a failed send means for the row. `sendMessage` has no idempotency key, so the line that
 * matters is whether the request may have reached Telegram: if it may have, a blind resend could
 * deliver twice, and a duplicate is worse than a retry an official chooses.
 */
export type SendFailure =
  | { kind: 'rate_limited'; retryAfterMs: number }
  | { kind: 'unreachable'; reason: string } // blocked, deactivated, chat not found, removed or muted in a group: pointless to retry
  | { kind: 'migrated'; newChatId: number; reason: string } // the group became a supergroup: send there instead
  | { kind: 'rejected'; reason: string } // Telegram refused this message (400): retrying will not help
  | { kind: 'retry'; reason: string } // never reached Telegram, or Telegram said it failed (5xx)
  | { kind: 'unknown'; reason: string }; // may have been delivered

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN']);

export function classifySendError(err: unknown): SendFailure {
  const e = err as { response?: { error_code?: number; description?: string; parameters?: { retry_after?: number; migrate_to_chat_id?: number } }; code?: string; errno?: string; message?: string; type?: string };
  const code = e.response?.error_code;
  const description = e.response?.description ?? e.message ?? 'error';
  if (code === 429) return { kind: 'rate_limited', retryAfterMs: Math.max(1, e.response?.parameters?.retry_after ?? 1) * 1000 };
  if (code === 403) return { kind: 'unreachable', reason: description };
  // 400 "group chat was upgraded to a supergroup chat", with the new id: nothing was sent, so a resend there is safe.
  const migrateTo = e.response?.parameters?.migrate_to_chat_id;
  if (code === 400 && typeof migrateTo === 'number') return { kind: 'migrated', newChatId: migrateTo, reason: description };
  // A group where the bot was muted or removed answers 400 rather than 403; retrying will not change it.
  if (code === 400 && /not enough rights|have no rights|CHAT_WRITE_FORBIDDEN|CHAT_RESTRICTED|bot was kicked|bot is not a member/i.test(description)) {
    return { kind: 'unreachable', reason: description };
  }
  if (code === 400 && /chat not found|user is deactivated|bot was blocked|PEER_ID_INVALID|bot can't initiate/i.test(description)) {
    return { kind: 'unreachable', reason: description };
  }
  if (code !== undefined && code >= 400 && code < 500) return { kind: 'rejected', reason: description };
  if (code !== undefined && code >= 500) return { kind: 'retry', reason: description };
  const sysCode = e.code ?? e.errno;
  if (sysCode && NOT_SENT_CODES.has(sysCode)) return { kind: 'retry', reason: sysCode };
  return { kind: 'unknown', reason: 'unknown' };
}
