import type { Db } from '../db/client.js';
import { businessOfOwner, productOfBusiness } from '../db/queries/catalog.js';
import { campaignById } from '../db/queries/campaigns.js';
import { activeProductsOfOwner, insertStockReports, latestLevelsOfBusiness } from '../db/queries/stock.js';
import { setSubmission, submissionRows, upsertSubmission, type SubmissionRow } from '../db/queries/submissions.js';
import type { Campaign, Product, Submission } from '../db/schema/index.js';
import { MAX_QUANTITY } from '../domain/catalog.js';
import { productByCode } from '../db/queries/catalog.js';
import { err, ok, type Result } from '../domain/result.js';

export type { SubmissionRow };

export type SubmitError = 'not_found' | 'closed' | 'deadline_passed' | 'not_yours' | 'category' | 'invalid' | 'needs_confirmation';

export interface SubmitWarnings {
  aboveStock: boolean;
  aboveCapacity: boolean;
  level: number | null;
}

function openForSubmissions(c: Campaign | undefined, now: Date): Result<Campaign, 'not_found' | 'closed' | 'deadline_passed'> {
  if (!c) return err('not_found');
  if (c.status !== 'open') return err('closed');
  if (now >= c.registrationDeadline) return err('deadline_passed');
  return ok(c);
}

/** The exporter's active products the campaign targets. */
export async function eligibleProducts(db: Db, ownerId: bigint, campaignId: number, now: Date): Promise<Result<{ campaign: Campaign; products: Product[] }, 'not_found' | 'closed' | 'deadline_passed'>> {
  const c = openForSubmissions(await campaignById(db, campaignId), now);
  if (!c.ok) return c;
  const all = await activeProductsOfOwner(db, ownerId);
  const targeted = c.value.targetCategories.length === 0 ? all : all.filter((p) => c.value.targetCategories.includes(p.category));
  return ok({ campaign: c.value, products: targeted });
}

/**
 * Submits (or changes) one product with a committed quantity. A commitment above the latest stock
 * or the monthly capacity needs the exporter's confirmation first; a product without any stock report
 * gets one in the same transaction (`initialStock`).
 */
export async function submitProduct(
  db: Db,
  ownerId: bigint,
  input: { campaignId: number; productId: number; committed: number; initialStock?: number | null },
  opts: { force: boolean; now: Date },
): Promise<Result<Submission, SubmitError> & { warnings?: SubmitWarnings }> {
  const c = openForSubmissions(await campaignById(db, input.campaignId), opts.now);
  if (!c.ok) return c;
  if (!(input.committed > 0 && input.committed <= MAX_QUANTITY)) return err('invalid');
  const business = await businessOfOwner(db, ownerId);
  const product = business ? await productOfBusiness(db, business.id, input.productId) : undefined;
  if (!business || !product || product.archivedAt) return err('not_yours');
  if (c.value.targetCategories.length && !c.value.targetCategories.includes(product.category)) return err('category');
  const current = (await latestLevelsOfBusiness(db, business.id)).get(product.id);
  const level = current?.quantity ?? input.initialStock ?? null;
  const warnings: SubmitWarnings = { aboveStock: level === null || input.committed > level, aboveCapacity: input.committed > product.monthlyCapacity, level };
  if ((warnings.aboveStock || warnings.aboveCapacity) && !opts.force) return { ...err('needs_confirmation'), warnings };
  const saved = await db.transaction(async (tx) => {
    if (!current && input.initialStock !== undefined && input.initialStock !== null) {
      await insertStockReports(tx, [
        { productId: product.id, quantity: input.initialStock, unitTyped: product.baseUnit, rawText: `(submission) ${input.initialStock}`, reporterId: ownerId, source: 'guided', reportedAt: opts.now },
      ]);
    }
    return upsertSubmission(tx, c.value.id, product.id, input.committed);
  });
  return { ...ok(saved), warnings };
}

/** Withdrawing is allowed until the registration deadline, like changing. */
export async function withdrawSubmission(db: Db, ownerId: bigint, submissionId: number, now: Date): Promise<Result<Submission, 'not_found' | 'closed' | 'deadline_passed' | 'not_yours'>> {
  const [row] = await submissionRows(db, { submissionId });
  if (!row || row.business.ownerId !== ownerId) return err('not_yours');
  const c = openForSubmissions(row.campaign, now);
  if (!c.ok) return c;
  const updated = await setSubmission(db, submissionId, { status: 'withdrawn' });
  return updated ? ok(updated) : err('not_found');
}

/** `/status`: every product of the exporter in every campaign it is in. */
export function myStatus(db: Db, ownerId: bigint): Promise<SubmissionRow[]> {
  return submissionRows(db, { ownerId });
}

export type PublicCheck =
  | { kind: 'unknown' }
  | { kind: 'none'; code: string; name: string }
  | { kind: 'results'; code: string; name: string; items: Array<{ campaign: string; state: 'shortlisted' | 'not_selected' | 'pending'; expected?: Date }> };

/**
 * `/cek KODE`, for anyone: whether a product was shortlisted in published campaigns. Nothing private:
 * no quantities, no exporter, no contact.
 */
export async function checkProduct(db: Db, code: string): Promise<PublicCheck> {
  const product = await productByCode(db, code.trim().toUpperCase());
  if (!product) return { kind: 'unknown' };
  const rows = await submissionRows(db, { productIds: [product.id] });
  if (rows.length === 0) return { kind: 'none', code: product.code, name: product.name };
  return {
    kind: 'results',
    code: product.code,
    name: product.name,
    items: rows.map((r) =>
      r.campaign.resultsPublishedAt
        ? { campaign: r.campaign.title, state: r.submission.status === 'shortlisted' ? 'shortlisted' : 'not_selected' }
        : { campaign: r.campaign.title, state: 'pending', expected: r.campaign.stockDeadline },
    ),
  };
}
