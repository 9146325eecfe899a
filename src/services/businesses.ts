import type { Db } from '../db/client.js';
import { isUniqueViolation } from '../db/errors.js';
import { businessOfOwner, nibOwner, upsertBusiness } from '../db/queries/catalog.js';
import type { Business } from '../db/schema/index.js';
import { businessInputSchema, type BusinessInput } from '../domain/catalog.js';
import { provinceByName } from '../domain/provinces.js';
import { err, ok, type Result } from '../domain/result.js';

export type { Business };

/**
 * What the profile flow saves: the business fields, and whom officials should ask for (null: nobody
 * named, so the owner's Telegram name stands in; left out: the saved contact stays as it is).
 */
export type ProfileInput = BusinessInput & { contactName?: string | null };

export const CONTACT_NAME_MIN = 2;
export const CONTACT_NAME_MAX = 80;

/** A contact person's name as typed, whitespace collapsed; null when it is not 2–80 characters. */
export function parseContactName(text: string): string | null {
  const v = text.replace(/\s+/g, ' ').trim();
  return v.length >= CONTACT_NAME_MIN && v.length <= CONTACT_NAME_MAX ? v : null;
}

export function getBusiness(db: Db, ownerId: bigint): Promise<Business | undefined> {
  return businessOfOwner(db, ownerId);
}

/**
 * Registers or updates the sender's business. The user's time zone follows the province (WIB, WITA or
 * WIT) so that deadlines are shown in their own clock.
 */
export async function saveBusiness(db: Db, ownerId: bigint, raw: ProfileInput): Promise<Result<Business, 'nib_taken' | 'invalid'>> {
  const parsed = businessInputSchema.safeParse(raw);
  if (!parsed.success) return err('invalid');
  const contactName = typeof raw.contactName === 'string' ? parseContactName(raw.contactName) : raw.contactName;
  if (typeof raw.contactName === 'string' && contactName === null) return err('invalid');
  const input = { ...parsed.data, contactName };
  const province = provinceByName(input.province);
  if (!province) return err('invalid');
  const holder = await nibOwner(db, input.nib);
  if (holder !== undefined && holder !== ownerId) return err('nib_taken');
  try {
    return ok(await upsertBusiness(db, ownerId, { ...input, province: province.name }, province.timeZone));
  } catch (e) {
    if (isUniqueViolation(e, 'businesses_nib_uq')) return err('nib_taken');
    throw e;
  }
}
