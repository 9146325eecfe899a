import type { CampaignInput } from '../../src/domain/campaign.js';

const DAY = 86_400_000;

/** A coffee campaign whose deadlines lie 5, 10 and 20 days after `now`: the shape most stories use. */
export function campaignInput(now: number, overrides: Partial<CampaignInput> = {}): CampaignInput {
  return {
    title: 'Tmall 11.11 Kopi',
    market: 'Tmall Global',
    description: 'Kopi spesialti',
    targetCategories: ['coffee'],
    registrationDeadline: new Date(now + 5 * DAY),
    stockDeadline: new Date(now + 10 * DAY),
    eventAt: new Date(now + 20 * DAY),
    maxShortlist: 3,
    freshnessDays: 7,
    ...overrides,
  };
}
