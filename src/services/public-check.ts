import type { Db } from '../db/client.js';
import { publicCheckRows } from '../db/queries/public-check.js';
import { publicState, type PublicState } from '../domain/results.js';

export type PublicCheck =
  | { kind: 'unknown'; code: string }
  | { kind: 'none'; code: string; name: string }
  | { kind: 'results'; code: string; name: string; items: { campaign: string; state: PublicState; expected?: Date }[] };

/**
 * `/cek KODE` and `@bot KODE`, for anyone: whether a product was shortlisted, as last published (an
 * unpublished decision never shows), or withdrawn by the exporter. Nothing private: no quantities, no
 * exporter, no contact. One answer per code asked, in the order asked; the codes are looked up as
 * typed, upper-cased (the stored form). One query for all of them (`publicCheckRows`).
 */
export async function checkProducts(db: Db, codes: readonly string[]): Promise<PublicCheck[]> {
  const wanted = codes.map((c) => c.trim().toUpperCase());
  const rows = await publicCheckRows(db, [...new Set(wanted)]);
  return wanted.map((code): PublicCheck => {
    const mine = rows.filter((r) => r.code === code);
    const first = mine[0];
    if (!first) return { kind: 'unknown', code };
    const items = mine.flatMap((r) => {
      if (r.status === null || r.campaign === null) return [];
      const state = publicState(r.status, r.outcome);
      return state === 'pending' && r.stockDeadline ? [{ campaign: r.campaign, state, expected: r.stockDeadline }] : [{ campaign: r.campaign, state }];
    });
    return items.length === 0 ? { kind: 'none', code: first.code, name: first.name } : { kind: 'results', code: first.code, name: first.name, items };
  });
}

/** `/cek KODE`: one product. */
export async function checkProduct(db: Db, code: string): Promise<PublicCheck> {
  const [r] = await checkProducts(db, [code]);
  return r ?? { kind: 'unknown', code: code.trim().toUpperCase() };
}
