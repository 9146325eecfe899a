import type { Db } from '../db/client.js';
import { campaignById } from '../db/queries/campaigns.js';
import { writeAudit } from '../db/queries/officials.js';
import { privateCopiesOff } from '../db/queries/groups.js';
import { addTeamMember, alertRecipients, isTeamMember, removeTeamMember, teamMembers } from '../db/queries/team.js';
import { findUser } from '../db/queries/users.js';
import { activeOfficials } from '../db/queries/officials.js';
import type { Campaign, User } from '../db/schema/index.js';
import { err, ok, type Result } from '../domain/result.js';
import { audit, authorize } from './roles.js';

/**
 * A campaign's powers belong to its team: its creator and the officials they add. An admin may act on
 * any campaign. Checked on every action, whatever button led to it; a refusal is audited, so a button
 * forged for another team's campaign leaves a trace.
 */
export async function authorizeCampaign(db: Db, actorId: bigint, campaignId: number, action: string, target?: string): Promise<Result<User, 'forbidden'>> {
  const who = await authorize(db, actorId, 'official', action, target ?? `campaign:${campaignId}`);
  if (!who.ok) return who;
  if (who.value.role === 'admin' || (await isTeamMember(db, campaignId, actorId))) return who;
  await writeAudit(db, { actorId, action, target: target ?? `campaign:${campaignId}`, outcome: 'refused', details: { reason: 'not_in_team', campaignId } });
  return err('forbidden');
}

/**
 * Who may address an audience: any official a general one (everyone, a province, a category); only the
 * campaign's team (or an admin) a campaign's own submitters or shortlist, whose names the others do not
 * see. Checked when counting, queuing, scheduling and again when a scheduled broadcast starts.
 */
export async function authorizeAudience(db: Db, actorId: bigint, audience: { type: string; campaignId?: number }, action: string, target?: string): Promise<Result<User, 'forbidden'>> {
  return audience.campaignId === undefined ? authorize(db, actorId, 'official', action, target) : authorizeCampaign(db, actorId, audience.campaignId, action, target);
}

/**
 * The active officials (and admins) of each campaign's team: who receives its alerts in private,
 * decided now. An official who turned their private copies off for a campaign with a live group
 * (issue 18) reads them there instead.
 */
export async function teamAlertRecipients(db: Db, campaignIds: readonly number[]): Promise<Map<number, bigint[]>> {
  const all = await alertRecipients(db, campaignIds);
  const off = await privateCopiesOff(db, campaignIds);
  if (off.size === 0) return all;
  return new Map([...all].map(([c, ids]) => [c, ids.filter((u) => !off.has(`${c}:${u}`))]));
}

export async function isAlertRecipient(db: Db, campaignId: number, userId: bigint): Promise<boolean> {
  const user = await findUser(db, userId);
  if (user?.status !== 'active' || (user.role !== 'official' && user.role !== 'admin')) return false;
  return isTeamMember(db, campaignId, userId);
}

export type TeamError = 'forbidden' | 'not_found' | 'not_official' | 'creator';

/** Only the campaign's creator (or an admin) manages its team. */
async function authorizeTeamChange(db: Db, actorId: bigint, campaignId: number, action: string): Promise<Result<Campaign, 'forbidden' | 'not_found'>> {
  const who = await authorize(db, actorId, 'official', action, `campaign:${campaignId}`);
  if (!who.ok) return who;
  const c = await campaignById(db, campaignId);
  if (!c) return err('not_found');
  if (who.value.role !== 'admin' && c.createdBy !== actorId) {
    await writeAudit(db, { actorId, action, target: `campaign:${campaignId}`, outcome: 'refused', details: { reason: 'not_creator' } });
    return err('forbidden');
  }
  return ok(c);
}

export async function campaignTeamOf(db: Db, actorId: bigint, campaignId: number): Promise<Result<{ campaign: Campaign; members: User[]; canManage: boolean }, 'forbidden' | 'not_found'>> {
  const who = await authorizeCampaign(db, actorId, campaignId, 'team.view');
  if (!who.ok) return who;
  const c = await campaignById(db, campaignId);
  if (!c) return err('not_found');
  return ok({ campaign: c, members: await teamMembers(db, campaignId), canManage: who.value.role === 'admin' || c.createdBy === actorId });
}

export async function addToTeam(db: Db, actorId: bigint, campaignId: number, userId: bigint): Promise<Result<User, TeamError>> {
  const c = await authorizeTeamChange(db, actorId, campaignId, 'team.add');
  if (!c.ok) return c;
  const user = await findUser(db, userId);
  if (user?.status !== 'active' || (user.role !== 'official' && user.role !== 'admin')) return err('not_official');
  await db.transaction(async (tx) => {
    if (await addTeamMember(tx, campaignId, userId, actorId)) await audit(tx, actorId, 'team.add', `campaign:${campaignId}`, { userId: String(userId) });
  });
  return ok(user);
}

export async function removeFromTeam(db: Db, actorId: bigint, campaignId: number, userId: bigint): Promise<Result<User, TeamError>> {
  const c = await authorizeTeamChange(db, actorId, campaignId, 'team.remove');
  if (!c.ok) return c;
  if (c.value.createdBy === userId) return err('creator');
  const user = await findUser(db, userId);
  if (!user) return err('not_found');
  await db.transaction(async (tx) => {
    if (await removeTeamMember(tx, campaignId, userId)) await audit(tx, actorId, 'team.remove', `campaign:${campaignId}`, { userId: String(userId) });
  });
  return ok(user);
}

/** Active officials and admins not yet on the team: whom its creator can add. */
export async function listOfficialsForTeam(db: Db, actorId: bigint, campaignId: number): Promise<Result<{ campaign: Campaign; candidates: User[] }, 'forbidden' | 'not_found'>> {
  const c = await authorizeTeamChange(db, actorId, campaignId, 'team.candidates');
  if (!c.ok) return c;
  const members = new Set((await teamMembers(db, campaignId)).map((m) => m.id));
  const all = await activeOfficials(db);
  return ok({ campaign: c.value, candidates: all.filter((u) => !members.has(u.id)) });
}

/** A new campaign's team is its creator. */
export async function seedTeam(db: Db, campaignId: number, creatorId: bigint): Promise<void> {
  await addTeamMember(db, campaignId, creatorId, creatorId);
}
