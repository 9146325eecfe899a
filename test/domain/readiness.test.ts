import { describe, expect, it } from 'vitest';
import { canShortlist, readinessOf } from '../../src/domain/readiness.js';

const now = new Date('2026-11-28T00:00:00Z');
const day = 86_400_000;

describe('readiness', () => {
  it('is ready only when stock covers the commitment, the report is fresh and capacity covers it', () => {
    const base = { committed: 1000, monthlyCapacity: 5000, certifications: ['halal'], freshnessDays: 7, now };
    expect(readinessOf({ ...base, level: { quantity: 1500, reportedAt: new Date(now.getTime() - 2 * day) } }).ready).toBe(true);
    expect(readinessOf({ ...base, level: { quantity: 900, reportedAt: now } })).toMatchObject({ ready: false, stockCovers: false });
    expect(readinessOf({ ...base, level: { quantity: 1500, reportedAt: new Date(now.getTime() - 8 * day) } })).toMatchObject({ ready: false, fresh: false });
    expect(readinessOf({ ...base, level: null })).toMatchObject({ ready: false, stockCovers: false, fresh: false });
    expect(readinessOf({ ...base, monthlyCapacity: 500, level: { quantity: 1500, reportedAt: now } })).toMatchObject({ ready: false, capacityCovers: false });
  });

  it('sorts ready and certified first', () => {
    const base = { committed: 10, monthlyCapacity: 50, freshnessDays: 7, now, level: { quantity: 20, reportedAt: now } };
    expect(readinessOf({ ...base, certifications: ['sni'] }).score).toBeGreaterThan(readinessOf({ ...base, certifications: [] }).score);
    expect(readinessOf({ ...base, certifications: [] }).score).toBeGreaterThan(readinessOf({ ...base, certifications: ['sni'], level: null }).score);
  });
});

describe('canShortlist', () => {
  it('never goes beyond the maximum and asks twice for a product that is not ready', () => {
    expect(canShortlist({ shortlisted: 3, max: 3, ready: true, confirmedNotReady: false })).toBe('max_reached');
    expect(canShortlist({ shortlisted: 1, max: 3, ready: false, confirmedNotReady: false })).toBe('needs_confirmation');
    expect(canShortlist({ shortlisted: 1, max: 3, ready: false, confirmedNotReady: true })).toBeNull();
    expect(canShortlist({ shortlisted: 2, max: 3, ready: true, confirmedNotReady: false })).toBeNull();
  });
});
