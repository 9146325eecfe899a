import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/client.js';
import { insertInvite, inviteByHash, officialsList, setRole, takeInvite, writeAudit } from '../db/queries/officials.js';
import { findUser } from '../db/queries/users.js';
import type { User } from '../db/schema/index.js';
import { err, ok, type Result } from '../domain/result.js';

export const INVITE_TTL_MS = 72 * 3600 * 1000;

export type Power = 'official' | 'admin';

/**
 * Every official action starts here, in the service, whatever menu led to it: the role is read from
 * the database on each call (a revoked official loses power on the next update), and a refusal is
 * audited as well as an action.
 */
export async function authorize(db: Db, actorId: bigint, power: Power, action: string, target?: string): Promise<Result<User, 'forbidden'>> {
  const user = await findUser(db, actorId);
  const allowed = user?.status === 'active' && (user.role === 'admin' || (power === 'official' && user.role === 'official'));
  if (!allowed) {
    await writeAudit(db, { actorId, action, target: target ?? null, outcome: 'refused' });
    return err('forbidden');
  }
  return ok(user);
}

export function audit(db: Db, actorId: bigint, action: string, target?: string | null, details?: Record<string, unknown>): Promise<void> {
  return writeAudit(db, { actorId, action, target: target ?? null, ...(details ? { details } : {}) });
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** An admin makes a single-use link; only the token's hash is stored. */
export async function createInvite(db: Db, adminId: bigint, now: Date): Promise<Result<{ token: string; expiresAt: Date }, 'forbidden'>> {
  const who = await authorize(db, adminId, 'admin', 'invite.create');
  if (!who.ok) return who;
  const token = randomBytes(18).toString('base64url');
  const expiresAt = new Date(now.getTime() + INVITE_TTL_MS);
  const invite = await insertInvite(db, hashToken(token), adminId, expiresAt);
  await audit(db, adminId, 'invite.create', `invite:${invite.id}`);
  return ok({ token, expiresAt });
}

export type RedeemError = 'invalid' | 'expired' | 'used';

export async function redeemInvite(db: Db, userId: bigint, token: string, now: Date): Promise<Result<User, RedeemError>> {
  if (!/^[A-Za-z0-9_-]{10,60}$/.test(token)) return err('invalid');
  const hash = hashToken(token);
  const result = await db.transaction(async (tx) => {
    const taken = await takeInvite(tx, hash, userId, now);
    if (!taken) return null;
    const current = await findUser(tx, userId);
    // An admin stays admin; anyone else becomes an official.
    const user = current?.role === 'admin' ? current : await setRole(tx, userId, 'official');
    await writeAudit(tx, { actorId: userId, action: 'invite.redeem', target: `invite:${taken.id}` });
    return user ?? null;
  });
  if (result) return ok(result);
  const existing = await inviteByHash(db, hash);
  if (!existing) return err('invalid');
  if (existing.usedAt) return err('used');
  return err('expired');
}

export async function listOfficials(db: Db, adminId: bigint): Promise<Result<User[], 'forbidden'>> {
  const who = await authorize(db, adminId, 'admin', 'officials.list');
  if (!who.ok) return who;
  return ok(await officialsList(db));
}

export async function revokeOfficial(db: Db, adminId: bigint, userId: bigint): Promise<Result<User, 'forbidden' | 'not_official'>> {
  const who = await authorize(db, adminId, 'admin', 'officials.revoke', `user:${userId}`);
  if (!who.ok) return who;
  const row = await setRole(db, userId, 'exporter', 'official');
  if (!row) return err('not_official');
  await audit(db, adminId, 'officials.revoke', `user:${userId}`);
  return ok(row);
}
