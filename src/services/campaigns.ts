import { randomBytes } from 'node:crypto';
import type { Db } from '../db/client.js';
import { isUniqueViolation } from '../db/errors.js';
import {
  campaignById,
  campaignBySlug,
  campaignsOfTeamMember,
  cancelPendingReminders,
  insertCampaign,
  campaignByRequestKey,
  insertReminders,
  openCampaignsList,
  updateCampaignRow,
} from '../db/queries/campaigns.js';
import type { Campaign, DeadlineKind } from '../db/schema/index.js';
import { campaignInputSchema, campaignSlug, type CampaignInput } from '../domain/campaign.js';
import { checkDeadlineOrder } from '../domain/deadline.js';
import { reminderSchedule } from '../domain/reminders.js';
import { err, ok, type Result } from '../domain/result.js';
import { audit, authorize } from './roles.js';
import { authorizeCampaign, seedTeam } from './team.js';

export type { Campaign };

/** The reminder row that sends officials the readiness summary rather than exporters a reminder. */
export const OFFICIALS_ZONE = 'OFFICIALS';
export type CampaignError = 'forbidden' | 'invalid' | 'deadline_past' | 'stock_before_registration' | 'event_before_stock' | 'not_found' | 'closed';

function validate(raw: CampaignInput, now: Date): Result<CampaignInput, Exclude<CampaignError, 'forbidden' | 'not_found' | 'closed'>> {
  const parsed = campaignInputSchema.safeParse(raw);
  if (!parsed.success) return err('invalid');
  const input = parsed.data;
  if (input.registrationDeadline <= now || input.stockDeadline <= now || input.eventAt <= now) return err('deadline_past');
  const order = checkDeadlineOrder({ registration: input.registrationDeadline, stock: input.stockDeadline, event: input.eventAt });
  if (!order.ok) return order;
  return ok(input);
}

/** Reminder rows for the given deadlines; the audience is chosen only when each one fires. */
async function schedule(db: Db, c: Campaign, kinds: DeadlineKind[], now: Date): Promise<void> {
  const rows = kinds.flatMap((kind) => {
    const deadline = kind === 'registration' ? c.registrationDeadline : c.stockDeadline;
    const exporters = reminderSchedule(deadline, c.reminderOffsets, now).map((r) => ({
      campaignId: c.id,
      kind,
      deadlineAt: deadline,
      offsetMinutes: r.offsetMinutes,
      zone: r.zone,
      dueAt: r.dueAt,
    }));
    // At the stock-confirmation deadline itself, the officials get the shortlist's readiness summary.
    const summary = kind === 'stock' ? [{ campaignId: c.id, kind, deadlineAt: deadline, offsetMinutes: 0, zone: OFFICIALS_ZONE, dueAt: deadline }] : [];
    return [...exporters, ...summary];
  });
  await insertReminders(db, rows);
}

/** `requestKey` names the guided run: saving it a second time (a redelivery) returns the campaign it made. */
export async function createCampaign(db: Db, actorId: bigint, raw: CampaignInput, now: Date, requestKey?: string): Promise<Result<Campaign, CampaignError>> {
  const who = await authorize(db, actorId, 'official', 'campaign.create');
  if (!who.ok) return who;
  if (requestKey) {
    const made = await campaignByRequestKey(db, requestKey);
    if (made) return ok(made);
  }
  const v = validate(raw, now);
  if (!v.ok) return v;
  for (let attempt = 0; attempt < 5; attempt++) {
    const slug = campaignSlug(v.value.title, randomBytes(3).toString('hex').slice(0, 4));
    try {
      const created = await db.transaction(async (tx) => {
        const c = await insertCampaign(tx, slug, actorId, v.value, requestKey);
        await schedule(tx, c, ['registration', 'stock'], now);
        await seedTeam(tx, c.id, actorId);
        await audit(tx, actorId, 'campaign.create', `campaign:${c.id}`, { title: c.title });
        return c;
      });
      return ok(created);
    } catch (e) {
      if (!isUniqueViolation(e, 'campaigns_slug_uq')) throw e;
    }
  }
  throw new Error('could not allocate a campaign slug');
}

/** Changing a deadline reschedules its reminders; the others stay as they were. */
export async function updateCampaign(db: Db, actorId: bigint, id: number, raw: CampaignInput, now: Date): Promise<Result<Campaign, CampaignError>> {
  const who = await authorizeCampaign(db, actorId, id, 'campaign.update');
  if (!who.ok) return who;
  const current = await campaignById(db, id);
  if (!current) return err('not_found');
  if (current.status === 'closed') return err('closed');
  const v = validate(raw, now);
  if (!v.ok) return v;
  const updated = await db.transaction(async (tx) => {
    const row = await updateCampaignRow(tx, id, v.value);
    if (!row) return undefined;
    const changed: DeadlineKind[] = [];
    if (row.registrationDeadline.getTime() !== current.registrationDeadline.getTime()) changed.push('registration');
    if (row.stockDeadline.getTime() !== current.stockDeadline.getTime()) changed.push('stock');
    await cancelPendingReminders(tx, id, changed);
    await schedule(tx, row, changed, now);
    await audit(tx, actorId, 'campaign.update', `campaign:${id}`, { rescheduled: changed });
    return row;
  });
  return updated ? ok(updated) : err('not_found');
}

export async function closeCampaign(db: Db, actorId: bigint, id: number): Promise<Result<Campaign, CampaignError>> {
  const who = await authorizeCampaign(db, actorId, id, 'campaign.close');
  if (!who.ok) return who;
  const row = await db.transaction(async (tx) => {
    const r = await updateCampaignRow(tx, id, { status: 'closed' });
    if (!r) return undefined;
    await cancelPendingReminders(tx, id, ['registration', 'stock']);
    await audit(tx, actorId, 'campaign.close', `campaign:${id}`);
    return r;
  });
  return row ? ok(row) : err('not_found');
}

/** The official's campaigns: those whose team they are in (an admin: all). */
export async function myCampaigns(db: Db, actorId: bigint): Promise<Result<Campaign[], 'forbidden'>> {
  const who = await authorize(db, actorId, 'official', 'campaign.list');
  if (!who.ok) return who;
  return ok(await campaignsOfTeamMember(db, who.value.role === 'admin' ? null : actorId));
}

/** For an official screen: the campaign, after the role check. */
export async function campaignForOfficial(db: Db, actorId: bigint, id: number): Promise<Result<Campaign, 'forbidden' | 'not_found'>> {
  const who = await authorizeCampaign(db, actorId, id, 'campaign.view');
  if (!who.ok) return who;
  const c = await campaignById(db, id);
  return c ? ok(c) : err('not_found');
}

export function openCampaigns(db: Db, now: Date): Promise<Campaign[]> {
  return openCampaignsList(db, now);
}

export function findCampaign(db: Db, ref: { id?: number; slug?: string }): Promise<Campaign | undefined> {
  if (ref.id !== undefined) return campaignById(db, ref.id);
  if (ref.slug !== undefined) return campaignBySlug(db, ref.slug);
  return Promise.resolve(undefined);
}
