import { z } from 'zod';
import { isStoredExactly, type BaseUnit } from './quantity.js';

/** Product categories the ministry promotes; keys are stable ids, labels live in the locale files. */
export const CATEGORIES = [
  'coffee',
  'tea',
  'cocoa',
  'spices',
  'fishery',
  'processed_food',
  'fashion',
  'handicraft',
  'furniture',
  'cosmetics',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const BASE_UNITS = ['kg', 'ton', 'liter', 'pcs', 'carton'] as const satisfies readonly BaseUnit[];

export const CERTIFICATIONS = ['halal', 'bpom', 'sni', 'organic'] as const;
export type Certification = (typeof CERTIFICATIONS)[number];

export const CURRENCIES = ['IDR', 'USD'] as const;
export type Currency = (typeof CURRENCIES)[number];

export const MAX_QUANTITY = 1e9;

/**
 * A positive quantity in the base unit as the database keeps it (`numeric(16,3)`): the last guard behind
 * `parseQuantity`, so a value that would be rounded (0,0004 kg stored as 0) never reaches a column.
 */
export const storedQuantitySchema = z.number().positive().max(MAX_QUANTITY).refine(isStoredExactly, { error: 'too_precise' });

/** What a saved product is made of, whichever way it was entered; the services accept only this. */
export const productInputSchema = z.object({
  name: z.string().trim().min(2).max(100),
  category: z.enum(CATEGORIES),
  hsCode: z.string().regex(/^(\d{6}|\d{8}|\d{10})$/).nullable(),
  baseUnit: z.enum(BASE_UNITS),
  monthlyCapacity: storedQuantitySchema,
  minOrder: storedQuantitySchema.nullable(),
  price: z.number().positive().max(1e12).nullable(),
  currency: z.enum(CURRENCIES).nullable(),
  certifications: z.array(z.enum(CERTIFICATIONS)).max(CERTIFICATIONS.length),
  photoFileId: z.string().min(1).max(200).nullable(),
  description: z.string().trim().min(1).max(500),
});
export type ProductInput = z.infer<typeof productInputSchema>;

export const businessInputSchema = z.object({
  companyName: z.string().trim().min(2).max(120),
  nib: z.string().regex(/^\d{13}$/),
  province: z.string().min(2).max(60),
  city: z.string().trim().min(2).max(80),
  phone: z.string().regex(/^\+62\d{8,12}$/),
  email: z.email().max(254).nullable(),
});
export type BusinessInput = z.infer<typeof businessInputSchema>;
