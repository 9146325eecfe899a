import { describe, expect, it } from 'vitest';
import { readinessOf } from '../../src/domain/readiness.js';
import { reviewOrderOf, reviewSegments, storedRankOf, WITHDRAWN_RANK, type ReviewStatus } from '../../src/domain/review-order.js';

const now = new Date('2026-11-28T00:00:00Z');
const DAY = 86_400_000;

describe('the review order', () => {
  it('segments, then the stored rank, then the id give exactly the order number, for every combination', () => {
    const entries: { status: ReviewStatus; order: number; rank: number; fresh: boolean; id: number }[] = [];
    let id = 1;
    for (const status of ['submitted', 'shortlisted', 'rejected'] as const)
      for (const quantity of [null, 10, 1000])
        for (const age of [0, 7 * DAY, 7 * DAY + 1])
          for (const certifications of [[], ['halal']])
            for (const monthlyCapacity of [10, 1000])
              for (let copy = 0; copy < 2; copy++) {
                const r = readinessOf({ committed: 100, level: quantity === null ? null : { quantity, reportedAt: new Date(now.getTime() - age) }, monthlyCapacity, certifications, freshnessDays: 7, now });
                entries.push({ status, order: reviewOrderOf(status, r, id), rank: storedRankOf(status, r), fresh: r.fresh, id: id++ });
              }
    const segmentOf = (e: (typeof entries)[number]) => reviewSegments.findIndex((s) => e.rank >= s.from && e.rank <= s.to && s.fresh === e.fresh);
    expect(entries.every((e) => segmentOf(e) >= 0)).toBe(true);
    const bySegments = [...entries].sort((a, b) => segmentOf(a) - segmentOf(b) || a.rank - b.rank || a.id - b.id).map((e) => e.id);
    expect(bySegments).toEqual([...entries].sort((a, b) => a.order - b.order).map((e) => e.id));
  });

  it('the segments cover the live ranks once each per freshness, and withdrawn lies past them all', () => {
    for (const fresh of [true, false]) {
      const ranks = reviewSegments.filter((s) => s.fresh === fresh).flatMap((s) => Array.from({ length: s.to - s.from + 1 }, (_, i) => s.from + i));
      expect(ranks).toEqual(Array.from({ length: 24 }, (_, i) => i));
    }
    expect(storedRankOf('withdrawn', { stockCovers: true, certified: true, capacityCovers: true })).toBe(WITHDRAWN_RANK);
  });
});
