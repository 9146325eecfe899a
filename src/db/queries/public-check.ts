import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { prepared } from '../prepared.js';
import { campaigns, products, submissionResults, submissions, type Campaign, type Product, type Submission, type SubmissionResult } from '../schema/index.js';

/** One product and one of its entries (null fields: the product has none), with only what anyone may read. */
export interface PublicCheckRow {
  code: Product['code'];
  name: Product['name'];
  campaign: Campaign['title'] | null;
  stockDeadline: Campaign['stockDeadline'] | null;
  status: Submission['status'] | null;
  /** The newest published result of the entry (null before any). */
  outcome: SubmissionResult['outcome'] | null;
}

/** Entries `/cek` speaks of: every status an entry can be in once the exporter has sent it. */
const CHECKED: Submission['status'][] = ['submitted', 'shortlisted', 'rejected', 'withdrawn'];

/**
 * `/cek` and the inline answer, for a few codes at once, in **one statement**: an inline query arrives per
 * keystroke, and the two queries plus one per entry of the old `/cek` would have been three round trips
 * each. It reads the product by its unique code index, its entries by `submissions_product_idx`, and the
 * newest published result of each by `submission_results_version_uq`. No quantity or contact is selected,
 * so none can leak into a public answer. Codes are the stored, upper-case form.
 */
export async function publicCheckRows(db: Db, codes: readonly string[]): Promise<PublicCheckRow[]> {
  if (codes.length === 0) return [];
  const q = prepared(db, 'public_check_rows', (d) =>
    d
      .select({
        code: products.code,
        name: products.name,
        campaign: campaigns.title,
        stockDeadline: campaigns.stockDeadline,
        status: submissions.status,
        outcome: sql<SubmissionResult['outcome'] | null>`(
          select ${submissionResults.outcome} from ${submissionResults}
          where ${submissionResults.submissionId} = ${submissions.id}
          order by ${submissionResults.version} desc limit 1)`,
      })
      .from(products)
      .leftJoin(submissions, and(eq(submissions.productId, products.id), inArray(submissions.status, CHECKED)))
      .leftJoin(campaigns, eq(campaigns.id, submissions.campaignId))
      .where(sql`${products.code} = any(${sql.placeholder('codes')}::text[])`)
      .orderBy(products.code, submissions.id)
      .prepare('public_check_rows'),
  );
  return q.execute({ codes: [...codes] });
}
