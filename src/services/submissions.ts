import type { Db } from '../db/client.js';
import { businessOfOwner, productOfBusiness } from '../db/queries/catalog.js';
import { campaignById } from '../db/queries/campaigns.js';
import { insertDeliveries, type NewDelivery } from '../db/queries/deliveries.js';
import { insertEntryEvents } from '../db/queries/entry-events.js';
import { insertResults } from '../db/queries/results.js';
import { activeProductsOfOwner, insertStockReports, latestLevelsOfBusiness } from '../db/queries/stock.js';
import { insertSubmission, lockCampaign, lockSubmission, setSubmission, submissionRows, type SubmissionRow } from '../db/queries/submissions.js';
import type { Campaign, Product, Submission } from '../db/schema/index.js';
import { storedQuantitySchema } from '../domain/catalog.js';
import { checkStoredQuantity } from '../domain/quantity.js';
import type { Reason } from '../domain/reasons.js';
import { err, ok, type Result } from '../domain/result.js';
import { campaignItems, nextReady } from './review.js';
import { groupAlertRows } from './groups.js';
import { teamAlertRecipients } from './team.js';

export type { SubmissionRow };

export type SubmitError = 'not_found' | 'closed' | 'deadline_passed' | 'not_yours' | 'category' | 'invalid' | 'needs_confirmation' | 'lower_after_publication';

export interface SubmitWarnings {
  aboveStock: boolean;
  aboveCapacity: boolean;
  level: number | null;
}

/**
 * What saving a commitment will do to the entry, said before saving:
 * - `new`: a new entry (or one coming back after a withdrawal);
 * - `change`: an undecided entry's commitment changes;
 * - `reopen`: a decided entry, before publication: the decision is undone and the officials told;
 * - `raise`: a shortlisted, published entry's commitment goes up (the officials are told);
 * - `same`: nothing changes.
 */
export type ChangeKind = 'new' | 'change' | 'reopen' | 'raise' | 'same';

/** A shortlisted entry whose pick the exporter was told: it keeps its place and can only be raised. */
export function publishedShortlisted(s: Pick<SubmissionRow, 'submission' | 'published'>): boolean {
  return s.submission.status === 'shortlisted' && s.published?.outcome === 'shortlisted';
}

function registrationOpen(c: Campaign, now: Date): boolean {
  return c.status === 'open' && now < c.registrationDeadline;
}

function openForSubmissions(c: Campaign | undefined, now: Date): Result<Campaign, 'not_found' | 'closed' | 'deadline_passed'> {
  if (!c) return err('not_found');
  if (c.status !== 'open') return err('closed');
  if (now >= c.registrationDeadline) return err('deadline_passed');
  return ok(c);
}

/** The plan for a commitment on an existing entry (or none): refused, or which kind of change. */
export function planChange(existing: SubmissionRow | undefined, campaign: Campaign, committed: number, now: Date): Result<ChangeKind, 'deadline_passed' | 'closed' | 'lower_after_publication'> {
  if (campaign.status !== 'open') return err('closed');
  if (!existing || existing.submission.status === 'withdrawn') return registrationOpen(campaign, now) ? ok('new') : err('deadline_passed');
  if (publishedShortlisted(existing)) {
    if (now >= campaign.eventAt) return err('closed');
    if (committed < existing.submission.committedQuantity) return err('lower_after_publication');
    return ok(committed === existing.submission.committedQuantity ? 'same' : 'raise');
  }
  if (!registrationOpen(campaign, now)) return err('deadline_passed');
  if (committed === existing.submission.committedQuantity) return ok('same');
  return ok(existing.submission.status === 'submitted' ? 'change' : 'reopen');
}

/** The exporter's active products the campaign targets, with their entries in it (if any). */
export async function eligibleProducts(
  db: Db,
  ownerId: bigint,
  campaignId: number,
  now: Date,
): Promise<Result<{ campaign: Campaign; products: Product[]; entries: Map<number, SubmissionRow> }, 'not_found' | 'closed' | 'deadline_passed'>> {
  const c = openForSubmissions(await campaignById(db, campaignId), now);
  if (!c.ok) return c;
  const all = await activeProductsOfOwner(db, ownerId);
  const targeted = c.value.targetCategories.length === 0 ? all : all.filter((p) => c.value.targetCategories.includes(p.category));
  const entries = new Map((await submissionRows(db, { ownerId, status: ['submitted', 'shortlisted', 'rejected'] })).filter((r) => r.campaign.id === campaignId).map((r) => [r.product.id, r]));
  return ok({ campaign: c.value, products: targeted, entries });
}

/** One alert to each of the campaign's team about an entry. */
async function teamAlerts(db: Db, campaignId: number, key: string, payload: Record<string, unknown>, now: Date): Promise<NewDelivery[]> {
  const team = (await teamAlertRecipients(db, [campaignId])).get(campaignId) ?? [];
  const groups = await groupAlertRows(db, campaignId, key, payload, now);
  return [...groups, ...team.map((recipientId) => ({
    recipientId,
    chatId: recipientId,
    kind: 'alert' as const,
    ref: `campaign:${campaignId}`,
    dedupeKey: `${key}:${recipientId}`,
    payload: { ...payload, forOfficial: true },
    dueAt: now,
  }))];
}

/**
 * Submits (or changes) one product with a committed quantity. A commitment above the latest stock or
 * the monthly capacity needs the exporter's confirmation first; a product without any stock report
 * gets one in the same transaction (`initialStock`). A change never silently erases a decision: see
 * `planChange`; the officials are alerted (through the outbox, in the same transaction) when a
 * decided entry reopens or a published pick's commitment is raised. Returns the alert deliveries.
 */
export async function submitProduct(
  db: Db,
  ownerId: bigint,
  input: { campaignId: number; productId: number; committed: number; initialStock?: number | null },
  opts: { force: boolean; now: Date },
): Promise<Result<{ submission: Submission; kind: ChangeKind; alerts: number[] }, SubmitError> & { warnings?: SubmitWarnings }> {
  const campaign = await campaignById(db, input.campaignId);
  if (!campaign) return err('not_found');
  // The last guard: a commitment or first stock level the database would round (0,0004 → 0) is refused.
  if (!storedQuantitySchema.safeParse(input.committed).success) return err('invalid');
  const business = await businessOfOwner(db, ownerId);
  const product = business ? await productOfBusiness(db, business.id, input.productId) : undefined;
  if (!business || !product || product.archivedAt) return err('not_yours');
  if (input.initialStock !== undefined && input.initialStock !== null && !checkStoredQuantity(input.initialStock, product.baseUnit).ok) return err('invalid');
  if (campaign.targetCategories.length && !campaign.targetCategories.includes(product.category)) return err('category');
  const [existing] = (await submissionRows(db, { ownerId, productIds: [product.id], status: ['submitted', 'shortlisted', 'rejected', 'withdrawn'] })).filter((r) => r.campaign.id === campaign.id);
  const plan = planChange(existing, campaign, input.committed, opts.now);
  if (!plan.ok) return plan;
  const current = (await latestLevelsOfBusiness(db, business.id)).get(product.id);
  const level = current?.quantity ?? input.initialStock ?? null;
  const warnings: SubmitWarnings = { aboveStock: level === null || input.committed > level, aboveCapacity: input.committed > product.monthlyCapacity, level };
  if ((warnings.aboveStock || warnings.aboveCapacity) && !opts.force && plan.value !== 'same') return { ...err('needs_confirmation'), warnings };
  const saved = await db.transaction(async (tx) => {
    if (!current && input.initialStock !== undefined && input.initialStock !== null) {
      await insertStockReports(tx, [
        { productId: product.id, quantity: input.initialStock, unitTyped: product.baseUnit, rawText: `(submission) ${input.initialStock}`, reporterId: ownerId, source: 'guided', reportedAt: opts.now },
      ]);
    }
    // Under the campaign's lock, as decisions are: an official's pick and this change never interleave.
    await lockCampaign(tx, campaign.id);
    const inserted = existing ? undefined : await insertSubmission(tx, campaign.id, product.id, input.committed);
    if (inserted?.created) {
      await insertEntryEvents(tx, [{ submissionId: inserted.row.id, kind: 'joined', actorId: ownerId, at: opts.now, details: { committed: input.committed } }]);
      return { submission: inserted.row, kind: 'new' as const, alerts: [] };
    }
    const id = existing?.submission.id ?? inserted!.row.id;
    const locked = await lockSubmission(tx, id);
    if (!locked) throw new Error('entry vanished under its lock');
    // Planned again on the locked row: a decision taken since the first read changes the plan.
    const [row] = await submissionRows(tx, { submissionId: id, status: ['submitted', 'shortlisted', 'rejected', 'withdrawn'] });
    const again = planChange(row, campaign, input.committed, opts.now);
    if (!again.ok) return again.error;
    const kind = again.value;
    if (kind === 'same') return { submission: locked, kind, alerts: [] };
    const previous = locked.committedQuantity;
    const set =
      kind === 'reopen' || kind === 'new'
        ? { committedQuantity: input.committed, status: 'submitted' as const, decidedBy: null, decidedAt: null, reason: null, reasonKey: null, stockAtDecision: null, acceptedNotReady: false, withdrawnReason: null, withdrawnReasonKey: null, reopened: kind === 'reopen' }
        : { committedQuantity: input.committed };
    const updated = await setSubmission(tx, id, set);
    if (!updated) throw new Error('entry vanished under its lock');
    const eventKind = kind === 'new' ? 'joined' : kind === 'reopen' ? 'reopened' : 'commitment_changed';
    await insertEntryEvents(tx, [{ submissionId: id, kind: eventKind, actorId: ownerId, at: opts.now, details: { committed: input.committed, previous, version: updated.version } }]);
    const alerts =
      kind === 'reopen' || kind === 'raise'
        ? await insertDeliveries(
            tx,
            await teamAlerts(tx, campaign.id, `alert:${kind}:${id}:v${updated.version}`, { alert: kind, submissionId: id, previous, committed: input.committed, wasStatus: locked.status }, opts.now),
          )
        : [];
    return { submission: updated, kind, alerts };
  });
  if (typeof saved === 'string') return err(saved);
  return { ...ok(saved), warnings };
}

export type WithdrawError = 'not_found' | 'closed' | 'deadline_passed' | 'not_yours';

/** Whether the exporter may withdraw now: any entry while registration is open, a pick until the event. */
export function canWithdraw(r: SubmissionRow, now: Date): Result<true, 'closed' | 'deadline_passed'> {
  if (r.submission.status === 'withdrawn' || r.campaign.status !== 'open') return err('closed');
  if (now < r.campaign.registrationDeadline) return ok(true);
  const picked = r.submission.status === 'shortlisted' || r.published?.outcome === 'shortlisted';
  if (picked && now < r.campaign.eventAt) return ok(true);
  return err('deadline_passed');
}

/**
 * The exporter withdraws an entry, with a reason, under the campaign's lock (a swap racing it either
 * sees it withdrawn or finishes first). The withdrawal is public at once (`/cek` says so); when the
 * entry was picked, the team is alerted with the next ready product to put in its place.
 */
export async function withdrawSubmission(
  db: Db,
  ownerId: bigint,
  submissionId: number,
  reason: Reason,
  now: Date,
): Promise<Result<{ submission: Submission; code: string; campaign: string; alerts: number[] }, WithdrawError>> {
  const [first] = await submissionRows(db, { submissionId });
  if (first?.business.ownerId !== ownerId) return err('not_yours');
  const allowed = canWithdraw(first, now);
  if (!allowed.ok) return allowed;
  const out = await db.transaction(async (tx) => {
    await lockCampaign(tx, first.campaign.id);
    const [row] = await submissionRows(tx, { submissionId });
    if (!row) return err('closed' as const);
    const again = canWithdraw(row, now);
    if (!again.ok) return again;
    const wasPicked = row.submission.status === 'shortlisted';
    const updated = await setSubmission(tx, submissionId, { status: 'withdrawn', withdrawnReason: reason.text, withdrawnReasonKey: reason.key, reopened: false });
    const words = { reason: reason.text, ...(reason.key ? { reasonKey: reason.key } : {}) };
    if (!updated) return err('closed' as const);
    await insertEntryEvents(tx, [{ submissionId, kind: 'withdrawn', actorId: ownerId, at: now, details: { ...words, version: updated.version, committed: updated.committedQuantity } }]);
    if (row.published) {
      // Told at once (the exporter knows; /cek says "withdrawn"): a result version that sends nothing.
      await insertResults(tx, [
        { submissionId, campaignId: row.campaign.id, outcome: 'withdrawn', reason: reason.text, reasonKey: reason.key, committedQuantity: updated.committedQuantity, publishedBy: ownerId, publishedAt: now, notified: false },
      ]);
    }
    let alerts: number[] = [];
    if (wasPicked || row.published?.outcome === 'shortlisted') {
      const next = nextReady(await campaignItems(tx, row.campaign.id, now), submissionId);
      alerts = await insertDeliveries(
        tx,
        await teamAlerts(
          tx,
          row.campaign.id,
          `alert:withdrawn:${submissionId}:v${updated.version}`,
          { alert: 'withdrawn', submissionId, ...words, ...(next ? { nextId: next.submission.id, nextVersion: next.submission.version } : {}) },
          now,
        ),
      );
    }
    return ok({ submission: updated, code: row.product.code, campaign: row.campaign.title, alerts });
  });
  return out;
}

/** `/status`: every product of the exporter in every campaign it is in, withdrawn entries too (they say so). */
export function myStatus(db: Db, ownerId: bigint): Promise<SubmissionRow[]> {
  return submissionRows(db, { ownerId, status: ['submitted', 'shortlisted', 'rejected', 'withdrawn'] });
}

/** A campaign still open and the quantity the exporter committed to it for one product. */
export interface OpenCommitment { campaignId: number; title: string; committed: number }

/**
 * The commitments of one of the exporter's products in campaigns still open (before their event), for
 * the lines on `/riwayat`'s chart. A rejected entry counts until it is withdrawn: the exporter's
 * commitment stands, and leaving it out would tell of a decision not yet published.
 */
export async function openCommitments(db: Db, ownerId: bigint, productId: number, now: Date): Promise<OpenCommitment[]> {
  const rows = await submissionRows(db, { ownerId, productIds: [productId], status: ['submitted', 'shortlisted', 'rejected'] });
  return rows
    .filter((r) => r.campaign.status === 'open' && now < r.campaign.eventAt)
    .map((r) => ({ campaignId: r.campaign.id, title: r.campaign.title, committed: r.submission.committedQuantity }));
}

/** One entry of the exporter's, any status. */
export async function myEntry(db: Db, ownerId: bigint, submissionId: number): Promise<SubmissionRow | undefined> {
  const [row] = await submissionRows(db, { submissionId, status: ['submitted', 'shortlisted', 'rejected', 'withdrawn'] });
  return row?.business.ownerId === ownerId ? row : undefined;
}

