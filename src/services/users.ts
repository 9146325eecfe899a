import type { Db } from '../db/client.js';
import { markUserBlocked, updateUserLanguage, upsertSeenUser } from '../db/queries/users.js';
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

/** Called for every update from a real person in a private chat: creates or refreshes the user. */
export async function recordSeenUser(db: Db, person: TelegramPerson, ctx: SeenContext): Promise<User> {
  const id = BigInt(person.id);
  const displayName = [person.first_name, person.last_name].filter(Boolean).join(' ').slice(0, 200) || String(person.id);
  return upsertSeenUser(db, {
    id,
    chatId: BigInt(ctx.chatId),
    displayName,
    username: person.username ?? null,
    telegramLanguage: person.language_code ?? null,
    defaultTimeZone: ctx.defaultTimeZone,
    isConfiguredAdmin: ctx.adminIds.includes(id),
  });
}

export async function chooseLanguage(db: Db, userId: bigint, language: Language): Promise<User | undefined> {
  return updateUserLanguage(db, userId, language);
}

/** A user blocked the bot (my_chat_member kicked): stop counting them as reachable. */
export async function userBlockedBot(db: Db, userId: bigint): Promise<void> {
  await markUserBlocked(db, userId);
}
