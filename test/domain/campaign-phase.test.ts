import { describe, expect, it } from 'vitest';
import { campaignPhases, openForRegistration } from '../../src/domain/campaign-phase.js';

const day = 86_400_000;
const t0 = Date.parse('2026-11-01T03:00:00Z');
const base = { status: 'open' as const, registrationDeadline: new Date(t0 + 5 * day), stockDeadline: new Date(t0 + 10 * day), eventAt: new Date(t0 + 20 * day), resultsPublishedAt: null };
const at = (days: number) => new Date(t0 + days * day);

describe('campaign phases', () => {
  it('walks registration → review → published · stock → event → closed', () => {
    expect(campaignPhases(base, at(1))).toEqual(['registration']);
    expect(campaignPhases(base, at(6))).toEqual(['review']);
    const published = { ...base, resultsPublishedAt: at(7) };
    expect(campaignPhases(published, at(7))).toEqual(['published', 'stock']);
    expect(campaignPhases(published, at(11))).toEqual(['event']);
    expect(campaignPhases(published, at(20))).toEqual(['closed']);
  });

  it('is compound after an early publication, and closed when an official closes it', () => {
    expect(campaignPhases({ ...base, resultsPublishedAt: at(2) }, at(3))).toEqual(['registration', 'published']);
    expect(campaignPhases({ ...base, status: 'closed' }, at(1))).toEqual(['closed']);
  });

  it('is open for registration only before its deadline', () => {
    expect(openForRegistration(base, at(4.99))).toBe(true);
    expect(openForRegistration(base, at(5))).toBe(false);
    expect(openForRegistration({ ...base, status: 'closed' }, at(1))).toBe(false);
  });
});
