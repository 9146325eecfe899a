import { z } from 'zod';
import { CATEGORIES } from './catalog.js';

export const campaignInputSchema = z.object({
  title: z.string().trim().min(3).max(120),
  market: z.string().trim().min(2).max(120),
  description: z.string().trim().min(1).max(1000),
  targetCategories: z.array(z.enum(CATEGORIES)),
  registrationDeadline: z.date(),
  stockDeadline: z.date(),
  eventAt: z.date(),
  maxShortlist: z.number().int().min(1).max(20),
  freshnessDays: z.number().int().min(1).max(60),
});
export type CampaignInput = z.infer<typeof campaignInputSchema>;

/** "Tmall Global 11.11 Kopi" → "tmall-global-11-11-kopi-x7k2": readable, unique, fits a /start payload. */
export function campaignSlug(title: string, suffix: string): string {
  const base = title
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/g, '');
  return `${base || 'kampanye'}-${suffix}`;
}
