import { parse, sign, validate } from '@telegram-apps/init-data-node';
import { z } from 'zod';

/** initData older than this is refused: the page must be reopened from Telegram. */
export const INIT_DATA_MAX_AGE_MS = 3600_000;

export interface WebAppUser {
  id: bigint;
  firstName: string;
  lastName?: string;
  username?: string;
  languageCode?: string;
}

export type InitDataCheck = { ok: true; user: WebAppUser } | { ok: false; error: 'invalid' | 'expired' };

/**
 * Telegram's check (HMAC-SHA256 of the sorted pairs with the key HMAC_SHA256("WebAppData", botToken)),
 * done by the library. Its own expiry test reads the wall clock, so it is switched off (`expiresIn: 0`)
 * and the age is checked here against the app's clock, and only after the signature: "expired" is
 * then said of genuine data only, never of a forgery.
 */
export function checkInitData(raw: string, botToken: string, now: Date): InitDataCheck {
  try {
    validate(raw, botToken, { expiresIn: 0 });
  } catch {
    return { ok: false, error: 'invalid' };
  }
  const data = parsed(raw);
  if (!data) return { ok: false, error: 'invalid' };
  const u = data.user;
  const age = now.getTime() - data.auth_date.getTime();
  // A date in the future beyond clock skew is as suspicious as an old one.
  if (age > INIT_DATA_MAX_AGE_MS || age < -300_000) return { ok: false, error: 'expired' };
  return {
    ok: true,
    user: {
      id: BigInt(u.id),
      firstName: u.first_name,
      ...(u.last_name ? { lastName: u.last_name } : {}),
      ...(u.username ? { username: u.username } : {}),
      ...(u.language_code ? { languageCode: u.language_code } : {}),
    },
  };
}

// The library's typings name the parsed fields in camelCase while it answers them in snake_case:
// the answer is read through this schema, so either spelling mismatch fails closed as 'invalid'.
const parsedSchema = z.object({
  auth_date: z.date(),
  user: z.object({
    id: z.number().int().positive().refine(Number.isSafeInteger),
    first_name: z.string(),
    last_name: z.string().optional(),
    username: z.string().optional(),
    language_code: z.string().optional(),
  }),
});

function parsed(raw: string): z.infer<typeof parsedSchema> | null {
  try {
    const r = parsedSchema.safeParse(parse(raw));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

export interface SignableUser {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

/** initData as Telegram would send it for this user: for tests and `npm run chat` (never production). */
export function signInitData(user: SignableUser, botToken: string, authDate: Date): string {
  return sign({ user, query_id: 'etalase-dev', chat_type: 'sender', chat_instance: '1' }, botToken, authDate);
}
