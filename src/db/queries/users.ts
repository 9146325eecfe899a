import { eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { batched } from '../batch.js';
import { prepared } from '../prepared.js';
import { users, type Language, type User } from '../schema/index.js';

export interface SeenUser {
  id: bigint;
  chatId: bigint;
  displayName: string;
  username: string | null;
  telegramLanguage: string | null;
  defaultTimeZone: string;
  /** Listed in ADMIN_TELEGRAM_IDS: admin while listed, back to exporter once removed from the list. */
  isConfiguredAdmin: boolean;
}

/**
 * One round trip per update: create the user on first contact, refresh what Telegram tells us each
 * time, and mark them active again (a user who writes has evidently unblocked the bot).
 */
export async function upsertSeenUser(db: Db, u: SeenUser): Promise<User> {
  const now = new Date();
  const [row] = await db
    .insert(users)
    .values({
      id: u.id,
      chatId: u.chatId,
      displayName: u.displayName,
      username: u.username,
      telegramLanguage: u.telegramLanguage,
      timeZone: u.defaultTimeZone,
      role: u.isConfiguredAdmin ? 'admin' : 'exporter',
      lastSeenAt: now,
    })
    .onConflictDoUpdate({
      target: users.id,
      set: {
        chatId: u.chatId,
        displayName: u.displayName,
        username: u.username,
        telegramLanguage: u.telegramLanguage,
        status: 'active',
        lastSeenAt: now,
        role: u.isConfiguredAdmin
          ? sql`'admin'::user_role`
          : sql`case when ${users.role} = 'admin' then 'exporter'::user_role else ${users.role} end`,
        updatedAt: sql`case when ${users.displayName} is distinct from excluded.display_name
          or ${users.status} <> 'active' then now() else ${users.updatedAt} end`,
      },
    })
    .returning();
  if (!row) throw new Error('upsert returned no row');
  return row;
}

/** Every update reads its sender: the reads of updates handled at the same moment are one query. */
export async function findUser(db: Db, id: bigint): Promise<User | undefined> {
  return (await batched(db, 'find_user', loadUsers).load(id)) ?? undefined;
}

async function loadUsers(db: Db, ids: readonly bigint[]): Promise<(User | null)[]> {
  const q = prepared(db, 'find_users', (d) =>
    d.select().from(users).where(sql`${users.id} = any(${sql.placeholder('ids')}::bigint[])`).prepare('find_users'),
  );
  const rows = await q.execute({ ids: [...new Set(ids.map(String))] });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id) ?? null);
}

export async function updateUserLanguage(db: Db, id: bigint, language: Language): Promise<User | undefined> {
  const [row] = await db
    .update(users)
    .set({ language, updatedAt: new Date() })
    .where(eq(users.id, id))
    .returning();
  return row;
}

export async function markUserBlocked(db: Db, id: bigint): Promise<void> {
  await db.update(users).set({ status: 'blocked', updatedAt: new Date() }).where(eq(users.id, id));
}

export async function updateUserTimeZone(db: Db, id: bigint, timeZone: string): Promise<User | undefined> {
  const [row] = await db.update(users).set({ timeZone, timeZoneChosen: true, updatedAt: new Date() }).where(eq(users.id, id)).returning();
  return row;
}

/** Display names by user id (who decided each entry, in a report); ids not found are left out. */
export async function displayNames(db: Db, ids: readonly bigint[]): Promise<Map<bigint, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, [...ids]));
  return new Map(rows.map((u) => [u.id, u.name]));
}
