import type { Db } from '../db/client.js';
import { campaignById } from '../db/queries/campaigns.js';
import { insertDeliveries } from '../db/queries/deliveries.js';
import { insertEntryEvents, recentEntryEvents, type EntryEventRow } from '../db/queries/entry-events.js';
import { insertResults } from '../db/queries/results.js';
import { changedSubmissionIds, countShortlisted, lockCampaign, markPublished, setSubmission, submissionCounts, submissionPage, submissionRows, type SubmissionRow } from '../db/queries/submissions.js';
import { campaignTableEntries, campaignTableRowStamps, campaignTableStamp, type TableEntry } from '../db/queries/review-table.js';
import type { Campaign, Submission } from '../db/schema/index.js';
import { canShortlist, readinessOf, type Readiness, type ShortlistRefusal } from '../domain/readiness.js';
import type { Reason } from '../domain/reasons.js';
import { reviewOrderOf } from '../domain/review-order.js';
import { err, ok, type Result } from '../domain/result.js';
import { pendingOutcome, type ResultOutcome } from '../domain/results.js';
import { audit } from './roles.js';
import { authorizeCampaign } from './team.js';

export interface ReviewItem extends SubmissionRow {
  readiness: Readiness;
}

function withReadiness(rows: SubmissionRow[], now: Date): ReviewItem[] {
  return rows.map((r) => ({
    ...r,
    readiness: readinessOf({
      committed: r.submission.committedQuantity,
      level: r.level,
      monthlyCapacity: r.product.monthlyCapacity,
      certifications: r.product.certifications,
      freshnessDays: r.campaign.freshnessDays,
      now,
    }),
  }));
}

const orderOf = (i: ReviewItem) => reviewOrderOf(i.submission.status, i.readiness, i.submission.id);
const byReadiness = (a: ReviewItem, b: ReviewItem) => orderOf(a) - orderOf(b);

/** The readiest undecided entry that is ready: what a swap, or a withdrawal's alert, proposes. */
export function nextReady(items: ReviewItem[], except?: number): ReviewItem | undefined {
  return items.filter((i) => i.submission.status === 'submitted' && i.readiness.ready && i.submission.id !== except).sort(byReadiness)[0];
}

/** The campaign's entries with readiness, without a role check (the caller has done it). */
export async function campaignItems(db: Db, campaignId: number, now: Date): Promise<ReviewItem[]> {
  return withReadiness(await submissionRows(db, { campaignId }), now).sort(byReadiness);
}

/** `/tinjau`: a campaign's submissions, readiest first (stock ≥ commitment, fresh, certified, capacity). */
export async function reviewList(db: Db, officialId: bigint, campaignId: number, now: Date): Promise<Result<{ campaign: Campaign; items: ReviewItem[] }, 'forbidden' | 'not_found'>> {
  const who = await authorizeCampaign(db, officialId, campaignId, 'review.list');
  if (!who.ok) return who;
  const campaign = await campaignById(db, campaignId);
  if (!campaign) return err('not_found');
  return ok({ campaign, items: await campaignItems(db, campaignId, now) });
}

export interface TableItem extends TableEntry {
  readiness: Readiness;
  /** The first moment this row's report is no longer fresh (ms), or +Infinity: readiness flips then. */
  agesAt: number;
  /** The review order as one number (domain/review-order.ts), smallest first: `/tinjau`'s SQL order too. */
  order: number;
}

/**
 * The Mini App's whole table, step one: the role and team check (on every call, as the chat does), the
 * campaign, and the stamp of what its rows are made of (db/queries/review-table.ts), so that the caller
 * can tell whether rows it built before are still the rows.
 */
export async function reviewTableStamp(db: Db, officialId: bigint, campaignId: number): Promise<Result<{ campaign: Campaign; stamp: string }, 'forbidden' | 'not_found'>> {
  const who = await authorizeCampaign(db, officialId, campaignId, 'review.list');
  if (!who.ok) return who;
  const campaign = await campaignById(db, campaignId);
  if (!campaign) return err('not_found');
  return ok({ campaign, stamp: `${campaign.freshnessDays}:${await campaignTableStamp(db, campaignId)}` });
}

/** One table entry with the domain's readiness at `now`, and where it sorts (`byReadiness`, as a number). */
export function tableItemOf(e: TableEntry, freshnessDays: number, now: Date): TableItem {
  const level = e.quantity === null || e.reportedAt === null ? null : { quantity: e.quantity, reportedAt: e.reportedAt };
  const readiness = readinessOf({ committed: e.committed, level, monthlyCapacity: e.monthlyCapacity, certifications: e.certifications, freshnessDays, now });
  // Fresh means age ≤ the window: the flip comes just after it.
  const agesAt = level ? level.reportedAt.getTime() + freshnessDays * 86_400_000 + 1 : Number.POSITIVE_INFINITY;
  const order = reviewOrderOf(e.status, readiness, e.id);
  return { ...e, readiness, agesAt, order };
}

/** Sorts in place into `reviewList`'s order. */
export function sortTableItems(items: TableItem[]): TableItem[] {
  return items.sort((a, b) => a.order - b.order);
}

/** The first moment any of these rows changes readiness with the clock alone (rows built now stay true until then). */
export function tableTrueUntil(items: Iterable<TableItem>, now: Date): Date {
  let until = 8.64e15;
  const t = now.getTime();
  for (const i of items) if (i.agesAt > t && i.agesAt < until) until = i.agesAt;
  return new Date(until);
}

/**
 * Step two, without a role check (step one did it): the same entries, readiness (the domain's rule) and
 * order as `reviewList`, read as 14 narrow columns (5,050 entries in ~50 ms instead of ~450), and when
 * the first of them will stop being fresh (until then, rows built now stay true).
 */
export async function tableItems(db: Db, campaign: Campaign, now: Date): Promise<{ items: TableItem[]; trueUntil: Date }> {
  const items = sortTableItems((await campaignTableEntries(db, campaign.id)).map((e) => tableItemOf(e, campaign.freshnessDays, now)));
  return { items, trueUntil: tableTrueUntil(items, now) };
}

/**
 * Step two after a change, for a caller that holds rows built before: every live entry's row stamp,
 * and the rows whose stamp is not the one held (changed or new), read again. Entries held but not
 * listed have left the table (withdrawn). A row changed between the two reads comes with its newer
 * stamp, read with it; the whole table's stamp has moved too, so the next call looks again.
 */
export async function tableChanges(
  db: Db,
  campaign: Campaign,
  heldStamp: (id: number) => string | undefined,
  now: Date,
): Promise<{ live: number[]; fresh: Map<number, TableItem> }> {
  const stamps = await campaignTableRowStamps(db, campaign.id);
  const changed = stamps.filter((r) => heldStamp(r.id) !== r.stamp).map((r) => r.id);
  const fresh = new Map<number, TableItem>();
  if (changed.length) for (const e of await campaignTableEntries(db, campaign.id, changed)) fresh.set(e.id, tableItemOf(e, campaign.freshnessDays, now));
  return { live: stamps.map((r) => r.id), fresh };
}

/**
 * The Mini App's poll: the campaign's live entries (for the counts) and, in any status, those that may
 * have changed since `since` (a withdrawal must reach the page too, though the review list leaves it out).
 */
export async function reviewChanges(
  db: Db,
  officialId: bigint,
  campaignId: number,
  since: Date,
  now: Date,
): Promise<Result<{ items: ReviewItem[]; changed: ReviewItem[] }, 'forbidden' | 'not_found'>> {
  const list = await reviewList(db, officialId, campaignId, now);
  if (!list.ok) return list;
  const ids = await changedSubmissionIds(db, campaignId, since, now, list.value.campaign.freshnessDays);
  const changed = ids.length ? withReadiness(await submissionRows(db, { submissionIds: ids, status: ALL_STATUSES }), now) : [];
  return ok({ items: list.value.items, changed });
}

/** One page of the review list (what `/tinjau` shows), sorted and cut in the database. */
export async function reviewPage(
  db: Db,
  officialId: bigint,
  campaignId: number,
  opts: { page: number; pageSize: number; now: Date },
): Promise<Result<{ campaign: Campaign; items: ReviewItem[]; total: number; shortlisted: number; page: number; pages: number }, 'forbidden' | 'not_found'>> {
  const who = await authorizeCampaign(db, officialId, campaignId, 'review.list');
  if (!who.ok) return who;
  const [campaign, counts] = await Promise.all([campaignById(db, campaignId), submissionCounts(db, campaignId)]);
  if (!campaign) return err('not_found');
  const pages = Math.max(1, Math.ceil(counts.total / opts.pageSize));
  const page = Math.min(Math.max(0, opts.page), pages - 1);
  const items = withReadiness(await submissionPage(db, campaignId, opts.now, page * opts.pageSize, opts.pageSize), opts.now);
  return ok({ campaign, items, total: counts.total, shortlisted: counts.shortlisted, page, pages });
}

const ALL_STATUSES: Submission['status'][] = ['submitted', 'shortlisted', 'rejected', 'withdrawn'];

/** The entry (any status) and its campaign's team check. */
async function entryForTeam(db: Db, officialId: bigint, submissionId: number, action: string): Promise<Result<SubmissionRow, 'forbidden' | 'not_found'>> {
  const [row] = await submissionRows(db, { submissionId, status: ALL_STATUSES });
  if (!row) {
    // Still checked and audited: a forged id must not tell "exists" from "not yours".
    const who = await authorizeCampaign(db, officialId, -1, action, `submission:${submissionId}`);
    return who.ok ? err('not_found') : who;
  }
  const who = await authorizeCampaign(db, officialId, row.campaign.id, action, `submission:${submissionId}`);
  return who.ok ? ok(row) : who;
}

export async function reviewItem(db: Db, officialId: bigint, submissionId: number, now: Date): Promise<Result<ReviewItem, 'forbidden' | 'not_found'>> {
  const row = await entryForTeam(db, officialId, submissionId, 'review.view');
  return row.ok ? ok(withReadiness([row.value], now)[0]!) : row;
}

export type DecisionAction = 'shortlist' | 'reject' | 'undo';
export type DecisionError = 'forbidden' | 'not_found' | 'withdrawn' | 'stale' | ShortlistRefusal;
export interface DecisionOutcome {
  submission: Submission;
  code: string;
  shortlisted: number;
  max: number;
}
type Decision = Result<DecisionOutcome, DecisionError> & { shortlisted?: number; max?: number; current?: Submission };

/**
 * One decision inside the caller's transaction, with the campaign row already locked (so two
 * officials deciding at the same moment cannot exceed the maximum). `version`, when given, is the
 * entry's version the official saw: any change since then refuses the decision with the current state.
 */
async function decideLocked(
  tx: Db,
  officialId: bigint,
  campaign: Campaign,
  submissionId: number,
  action: DecisionAction,
  opts: { now: Date; reason?: Reason; confirmNotReady?: boolean; version?: number; event?: { kind: 'swapped_out' | 'swapped_in'; other: string } },
): Promise<Decision> {
  const [row] = withReadiness(await submissionRows(tx, { submissionId, status: ALL_STATUSES }), opts.now);
  if (row?.campaign.id !== campaign.id) return err('not_found');
  if (opts.version !== undefined && row.submission.version !== opts.version) return { ...err('stale'), current: row.submission };
  if (row.submission.status === 'withdrawn') return { ...err('withdrawn'), current: row.submission };
  const shortlisted = await countShortlisted(tx, campaign.id);
  if (action === 'shortlist' && row.submission.status !== 'shortlisted') {
    const refusal = canShortlist({ shortlisted, max: campaign.maxShortlist, ready: row.readiness.ready, confirmedNotReady: opts.confirmNotReady ?? false });
    if (refusal) return { ...err(refusal), shortlisted, max: campaign.maxShortlist };
  }
  const set =
    action === 'undo'
      ? { status: 'submitted' as const, decidedBy: null, decidedAt: null, reason: null, reasonKey: null, stockAtDecision: null, acceptedNotReady: false, reopened: false }
      : {
          status: action === 'shortlist' ? ('shortlisted' as const) : ('rejected' as const),
          decidedBy: officialId,
          decidedAt: opts.now,
          reason: action === 'reject' ? (opts.reason?.text ?? null) : null,
          reasonKey: action === 'reject' ? (opts.reason?.key ?? null) : null,
          stockAtDecision: row.level?.quantity ?? null,
          acceptedNotReady: action === 'shortlist' && !row.readiness.ready,
          reopened: false,
        };
  const updated = await setSubmission(tx, submissionId, set);
  if (!updated) return err('not_found');
  const kind = opts.event?.kind ?? (action === 'shortlist' ? 'shortlisted' : action === 'reject' ? 'rejected' : 'undone');
  const reason = action === 'reject' && opts.reason ? { reason: opts.reason.text, ...(opts.reason.key ? { reasonKey: opts.reason.key } : {}) } : {};
  await insertEntryEvents(tx, [
    {
      submissionId,
      kind,
      actorId: officialId,
      at: opts.now,
      details: { version: updated.version, level: row.level?.quantity ?? null, ...reason, ...(opts.event ? { other: opts.event.other } : {}) },
    },
  ]);
  await audit(tx, officialId, `review.${action}`, `submission:${submissionId}`, {
    stockAtDecision: row.level?.quantity ?? null,
    ready: row.readiness.ready,
    version: updated.version,
    ...reason,
  });
  return ok({ submission: updated, code: row.product.code, shortlisted: await countShortlisted(tx, campaign.id), max: campaign.maxShortlist });
}

/** Shortlist, reject or undo, under the campaign's lock; only the campaign's team decides. */
export async function decide(
  db: Db,
  officialId: bigint,
  submissionId: number,
  action: DecisionAction,
  opts: { now: Date; reason?: Reason; confirmNotReady?: boolean; version?: number },
): Promise<Decision> {
  const first = await entryForTeam(db, officialId, submissionId, `review.${action}`);
  if (!first.ok) return first;
  return db.transaction(async (tx) => {
    const campaign = await lockCampaign(tx, first.value.campaign.id);
    if (!campaign) return err('not_found');
    return decideLocked(tx, officialId, campaign, submissionId, action, opts);
  });
}

export type SwapError = 'forbidden' | 'not_found' | 'stale' | 'not_shortlisted';

/**
 * Swap, in one transaction under the campaign's lock: the troubled product is rejected and the
 * readiest ready one not chosen yet is shortlisted. A withdrawal racing it takes the same lock, so
 * the shortlist never exceeds the maximum and never holds a withdrawn product.
 */
export async function swapInNext(
  db: Db,
  officialId: bigint,
  submissionId: number,
  reason: Reason,
  now: Date,
  version?: number,
): Promise<Result<{ out: string; in: string | null }, SwapError>> {
  const first = await entryForTeam(db, officialId, submissionId, 'review.swap');
  if (!first.ok) return first;
  return db.transaction(async (tx) => {
    const campaign = await lockCampaign(tx, first.value.campaign.id);
    if (!campaign) return err('not_found');
    const items = await campaignItems(tx, campaign.id, now);
    const troubled = items.find((i) => i.submission.id === submissionId);
    if (troubled?.submission.status !== 'shortlisted') return err('not_shortlisted');
    if (version !== undefined && troubled.submission.version !== version) return err('stale');
    const next = nextReady(items, submissionId);
    const out = await decideLocked(tx, officialId, campaign, submissionId, 'reject', { now, reason, event: { kind: 'swapped_out', other: next?.product.code ?? '' } });
    if (!out.ok) return err(out.error === 'forbidden' ? 'forbidden' : out.error === 'stale' ? 'stale' : 'not_found');
    if (next) {
      const put = await decideLocked(tx, officialId, campaign, next.submission.id, 'shortlist', { now, event: { kind: 'swapped_in', other: troubled.product.code } });
      if (!put.ok) throw new Error(`swap: shortlisting the next ready entry failed (${put.error})`);
    }
    await audit(tx, officialId, 'review.swap', `submission:${submissionId}`, { swappedIn: next?.submission.id ?? null });
    return ok({ out: troubled.product.code, in: next?.product.code ?? null });
  });
}

export interface PendingResult {
  submissionId: number;
  code: string;
  outcome: ResultOutcome;
  /** The exporter was last told "shortlisted": this result takes the pick back. */
  wasShortlisted: boolean;
}

export interface PublishPreview {
  campaign: Campaign;
  /** Nothing was published yet: this is the first publication. */
  first: boolean;
  /** Registration is still open: publishing now needs a second, recorded confirmation. */
  early: boolean;
  changes: PendingResult[];
}

function pendingOf(campaign: Campaign, rows: SubmissionRow[]): PendingResult[] {
  const first = !campaign.resultsPublishedAt;
  return rows.flatMap((r) => {
    const outcome = pendingOutcome(r.submission.status, r.published?.outcome ?? null, first);
    return outcome ? [{ submissionId: r.submission.id, code: r.product.code, outcome, wasShortlisted: r.published?.outcome === 'shortlisted' }] : [];
  });
}

/** What `/umumkan` would send now: one result per entry whose outcome differs from what it was told. */
export async function publishPreview(db: Db, officialId: bigint, campaignId: number, now: Date): Promise<Result<PublishPreview, 'forbidden' | 'not_found'>> {
  const who = await authorizeCampaign(db, officialId, campaignId, 'review.publish_preview');
  if (!who.ok) return who;
  const campaign = await campaignById(db, campaignId);
  if (!campaign) return err('not_found');
  const changes = pendingOf(campaign, await submissionRows(db, { campaignId }));
  return ok({ campaign, first: !campaign.resultsPublishedAt, early: !campaign.resultsPublishedAt && now < campaign.registrationDeadline, changes });
}

export type PublishError = 'forbidden' | 'not_found' | 'already_published' | 'not_published' | 'needs_early_confirmation' | 'nothing_changed' | 'changed_since';

/**
 * Publishes, under the campaign's lock. `first`: the first publication (once; before the registration
 * deadline only with `confirmEarly`). `changes`: every entry whose outcome changed since it was last
 * told gets a new result version; `expected` is the count the official was shown, and a different one
 * is refused so that what was promised is exactly what is sent. Each result is queued once: the dedupe
 * key carries its version, so a second press (or two officials at once) queues nothing.
 */
export async function publishResults(
  db: Db,
  officialId: bigint,
  campaignId: number,
  now: Date,
  opts: { mode: 'first' | 'changes'; confirmEarly?: boolean; expected?: number } = { mode: 'first' },
): Promise<Result<{ deliveryIds: number[]; changes: PendingResult[]; campaign: Campaign }, PublishError>> {
  const who = await authorizeCampaign(db, officialId, campaignId, 'review.publish');
  if (!who.ok) return who;
  return db.transaction(async (tx) => {
    const locked = await lockCampaign(tx, campaignId);
    if (!locked) return err('not_found');
    if (opts.mode === 'first' && locked.resultsPublishedAt) return err('already_published');
    if (opts.mode === 'changes' && !locked.resultsPublishedAt) return err('not_published');
    const early = now < locked.registrationDeadline;
    if (opts.mode === 'first' && early && !opts.confirmEarly) return err('needs_early_confirmation');
    const changes = pendingOf(locked, await submissionRows(tx, { campaignId }));
    if (opts.mode === 'changes' && changes.length === 0) return err('nothing_changed');
    if (opts.expected !== undefined && changes.length !== opts.expected) return err('changed_since');
    const campaign = opts.mode === 'first' ? ((await markPublished(tx, campaignId, now)) ?? locked) : locked;
    const rows = await submissionRows(tx, { submissionIds: changes.map((c) => c.submissionId), status: ALL_STATUSES });
    const byId = new Map(rows.map((r) => [r.submission.id, r]));
    const results = await insertResults(
      tx,
      changes.map((c) => {
        const r = byId.get(c.submissionId)!;
        return {
          submissionId: c.submissionId,
          campaignId,
          outcome: c.outcome,
          reason: c.outcome === 'not_selected' ? r.submission.reason : null,
          reasonKey: c.outcome === 'not_selected' ? r.submission.reasonKey : null,
          committedQuantity: r.submission.committedQuantity,
          publishedBy: officialId,
          publishedAt: now,
        };
      }),
    );
    const ids = await insertDeliveries(
      tx,
      results.map((res) => {
        const r = byId.get(res.submissionId)!;
        return {
          recipientId: r.business.ownerId,
          chatId: r.business.ownerId,
          kind: 'result' as const,
          ref: `campaign:${campaignId}`,
          dedupeKey: `result:${campaignId}:${res.submissionId}:v${res.version}`,
          payload: { submissionId: res.submissionId, resultId: res.id },
          dueAt: now,
        };
      }),
    );
    await insertEntryEvents(
      tx,
      results.map((res) => ({ submissionId: res.submissionId, kind: 'result_published' as const, actorId: officialId, at: now, details: { outcome: res.outcome, version: res.version } })),
    );
    const action = opts.mode === 'changes' ? 'review.publish_changes' : early ? 'review.publish_early' : 'review.publish';
    await audit(tx, officialId, action, `campaign:${campaignId}`, {
      results: ids.length,
      ...(early && opts.mode === 'first' ? { registrationDeadline: locked.registrationDeadline.toISOString(), confirmedEarly: true } : {}),
    });
    return ok({ deliveryIds: ids, changes, campaign });
  });
}

/** An entry's newest events (the card shows five); the caller has checked the team already. */
export function recentHistory(db: Db, submissionId: number, limit: number): Promise<EntryEventRow[]> {
  return recentEntryEvents(db, submissionId, limit);
}
