/**
 * A campaign's phase, from the clock and the publish state; it may be compound (an early publication
 * is "registration open · results published"). Order of the story: registration → review →
 * published → stock confirmation → event → closed.
 */
export const CAMPAIGN_PHASES = ['registration', 'review', 'published', 'stock', 'event', 'closed'] as const;
export type CampaignPhase = (typeof CAMPAIGN_PHASES)[number];

export interface PhaseInput {
  status: 'open' | 'closed';
  registrationDeadline: Date;
  stockDeadline: Date;
  eventAt: Date;
  resultsPublishedAt: Date | null;
}

export function campaignPhases(c: PhaseInput, now: Date): CampaignPhase[] {
  const t = now.getTime();
  if (c.status === 'closed' || t >= c.eventAt.getTime()) return ['closed'];
  if (t >= c.stockDeadline.getTime()) return ['event'];
  const out: CampaignPhase[] = [];
  if (t < c.registrationDeadline.getTime()) out.push('registration');
  else if (!c.resultsPublishedAt) out.push('review');
  if (c.resultsPublishedAt) out.push('published');
  if (c.resultsPublishedAt && t >= c.registrationDeadline.getTime()) out.push('stock');
  return out;
}

/** Open for new entries: before the registration deadline of an open campaign. */
export function openForRegistration(c: PhaseInput, now: Date): boolean {
  return c.status === 'open' && now.getTime() < c.registrationDeadline.getTime();
}
