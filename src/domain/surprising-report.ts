import { parseNumber, type NumberLocale } from './quantity.js';

/**
 * When a stock report is worth a press before it becomes evidence (issue 16). Most reports are
 * ordinary and are saved at once; a report is held only when one of these says it may be a misreading:
 *
 * - `ambiguous`: its number reads differently under the other number convention, and the user's own
 *   convention read its one separator as a decimal mark where the other reads a thousands group
 *   (`1,200` from an Indonesian is 1,2 here and 1.200 in English; `1.200` from an English speaker the
 *   same the other way). A number with both separators (`1.200,5`) is never ambiguous, and a separator
 *   the user's convention reads as thousands (`1.200` from an Indonesian) is the ordinary case.
 * - `fall`: the level falls by 90 % or more (but a fall to 0, sold out, is ordinary);
 * - `rise`: the level rises tenfold or more (but a rise from 0 or from nothing is ordinary);
 * - `capacity`: the level exceeds twelve months of the product's capacity.
 *
 * Pure: the caller reads the previous level and the capacity; nothing here touches a database.
 */
export type SurpriseReason = 'ambiguous' | 'fall' | 'rise' | 'capacity';

export const FALL_RATIO = 0.1;
export const RISE_RATIO = 10;
export const CAPACITY_MONTHS = 12;

export interface SurpriseInput {
  /** The number part as typed (`1,200`, `1,5 jt`): only its numeral decides ambiguity. */
  quantityText: string;
  /** The reading in the user's convention, in the product's base unit. */
  quantity: number;
  /** The same text read under the other convention, in the base unit, when it parses. */
  otherQuantity: number | null;
  previous: number | null;
  monthlyCapacity: number | null;
}

export interface Surprise {
  reasons: SurpriseReason[];
  /** The other convention's reading, offered as a second button; only for `ambiguous`. */
  alternative: number | null;
}

export function otherLocale(locale: NumberLocale): NumberLocale {
  return locale === 'id' ? 'en' : 'id';
}

/**
 * Whether the numeral in `text` reads differently under the two conventions with the user's reading
 * the decimal one. Uses `parseNumber` on the numeral alone (unit and multiplier words do not change
 * which separator is which), so the rules stay those of `domain/quantity.ts`.
 */
export function isAmbiguousNumeral(text: string, locale: NumberLocale): boolean {
  const numeral = /^\s*(\d(?:[\d.,\s]*\d)?)/.exec(text)?.[1]?.replace(/\s+/g, '');
  if (!numeral) return false;
  const dots = numeral.split('.').length - 1;
  const commas = numeral.split(',').length - 1;
  // Both marks, or one mark used twice: only one reading is possible.
  if (dots + commas !== 1) return false;
  const decimalMark = locale === 'id' ? ',' : '.';
  if (!numeral.includes(decimalMark)) return false;
  const mine = parseNumber(numeral, locale);
  const theirs = parseNumber(numeral, otherLocale(locale));
  return mine.ok && theirs.ok && mine.value !== theirs.value;
}

export function surpriseOf(input: SurpriseInput, locale: NumberLocale): Surprise | null {
  const reasons: SurpriseReason[] = [];
  const ambiguous = input.otherQuantity !== null && input.otherQuantity !== input.quantity && isAmbiguousNumeral(input.quantityText, locale);
  if (ambiguous) reasons.push('ambiguous');
  const prev = input.previous;
  // From nothing or from 0 every level is a "rise"; to 0 is a sell-out: both ordinary.
  if (prev !== null && prev > 0 && input.quantity > 0) {
    if (input.quantity <= prev * FALL_RATIO) reasons.push('fall');
    if (input.quantity >= prev * RISE_RATIO) reasons.push('rise');
  }
  if (input.monthlyCapacity !== null && input.monthlyCapacity > 0 && input.quantity > input.monthlyCapacity * CAPACITY_MONTHS) reasons.push('capacity');
  return reasons.length === 0 ? null : { reasons, alternative: ambiguous ? input.otherQuantity : null };
}

/** Unconfirmed held reports lapse after this long (issue 16's decision: 24 hours from the message). */
export const HELD_TTL_MS = 24 * 3600_000;
