import type { Db } from '../db/client.js';
import { findUser, markUserBlocked, updateUserLanguage, updateUserTimeZone, upsertSeenUser } from '../db/queries/users.js';
import { ZONE_TIMEZONES, type ZoneLabel } from '../domain/provinces.js';
import type { Language, User } from '../db/schema/index.js';

export type { User };

export interface TelegramPerson {
  id: number;
  first_name: string;
  last_name?: string | undefined;
  username?: string | undefined;
  language_code?: string | undefined;
}

export interface SeenContext {
  chatId: number;
  adminIds: readonly bigint[];
  defaultTimeZone: string;
}

const LAST_SEEN_RESOLUTION_MS = 3600_000;

/**
 * Called for every update from a real person in a private chat: creates or refreshes the user. Most
 * updates change nothing, so the row is read first and written only when something differs (or
 * last-seen is an hour old): a read costs no WAL flush, and this runs on every update.
 */
export async function recordSeenUser(db: Db, person: TelegramPerson, ctx: SeenContext, now = new Date()): Promise<User> {
  return (await seeUser(db, person, ctx, now)).user;
}

/**
 * `recordSeenUser`, also saying whether this call made the row: /start greets a first contact (the
 * welcome and the language choice) differently from someone returning. The read that decides whether to
 * write is the one that tells, so knowing it costs no round trip. A redelivered first update finds the
 * row its first attempt made and counts as returning; its journal still replays the one reply sent.
 */
export async function seeUser(db: Db, person: TelegramPerson, ctx: SeenContext, now = new Date()): Promise<{ user: User; firstContact: boolean }> {
  const id = BigInt(person.id);
  const displayName = [person.first_name, person.last_name].filter(Boolean).join(' ').slice(0, 200) || String(person.id);
  const isConfiguredAdmin = ctx.adminIds.includes(id);
  const current = await findUser(db, id);
  if (
    current?.status === 'active' &&
    current.chatId === BigInt(ctx.chatId) &&
    current.displayName === displayName &&
    current.username === (person.username ?? null) &&
    current.telegramLanguage === (person.language_code ?? null) &&
    (current.role === 'admin') === isConfiguredAdmin &&
    now.getTime() - current.lastSeenAt.getTime() < LAST_SEEN_RESOLUTION_MS
  ) {
    return { user: current, firstContact: false };
  }
  const user = await upsertSeenUser(db, {
    id,
    chatId: BigInt(ctx.chatId),
    displayName,
    username: person.username ?? null,
    telegramLanguage: person.language_code ?? null,
    defaultTimeZone: ctx.defaultTimeZone,
    isConfiguredAdmin,
  });
  return { user, firstContact: current === undefined };
}

export async function chooseLanguage(db: Db, userId: bigint, language: Language): Promise<User | undefined> {
  return updateUserLanguage(db, userId, language);
}

/** A user blocked the bot (my_chat_member kicked): stop counting them as reachable. */
export async function userBlockedBot(db: Db, userId: bigint): Promise<void> {
  await markUserBlocked(db, userId);
}

/** `/zona`: the user's own choice of WIB, WITA or WIT, which the province no longer overrides. */
export async function chooseTimeZone(db: Db, userId: bigint, zone: ZoneLabel): Promise<User | undefined> {
  return updateUserTimeZone(db, userId, ZONE_TIMEZONES[zone]);
}

/**
 * Someone already known, read without writing: an inline query (`@bot KODE`) names its sender but no
 * chat, so it is no first contact and makes no users row; a known sender's language and zone still count.
 */
export async function knownUser(db: Db, userId: bigint): Promise<User | undefined> {
  return findUser(db, userId);
}
