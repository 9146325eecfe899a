import type { ReasonKey } from './reasons.js';

/** The kinds of things that happen to a campaign entry, kept as its history (the card shows five). */
export const ENTRY_EVENT_KINDS = [
  'joined',
  'commitment_changed',
  'reopened',
  'shortlisted',
  'rejected',
  'undone',
  'result_published',
  'withdrawn',
  'stock_ready',
  'stock_cannot',
  'stock_reported',
  'stock_asked',
  'alerted',
  'swapped_out',
  'swapped_in',
] as const;
export type EntryEventKind = (typeof ENTRY_EVENT_KINDS)[number];

/** Typed details; every field optional so that one column holds them all. */
export interface EntryEventDetails {
  committed?: number;
  previous?: number;
  /** The reason's words (typed, or a listed one as its chooser read it). */
  reason?: string;
  /** The listed reason picked (domain/reasons.ts): readers show it in their own language. */
  reasonKey?: ReasonKey;
  outcome?: string;
  version?: number;
  level?: number | null;
  alert?: 'low' | 'stale';
  /** The other side of a swap (its product code). */
  other?: string;
}
