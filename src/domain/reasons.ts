/**
 * The reasons people pick from a list instead of typing: an official rejecting an entry, an exporter
 * withdrawing one or saying a pick cannot be supplied. They are stored by key, so each reader sees
 * them in their own language (an English exporter reads "Not enough stock", not "Stok tidak
 * mencukupi"); a typed reason has no key and is shown as typed.
 *
 * The keys are a pg enum (`reason_key`): rename none, add new ones at the end.
 */
export const REJECT_REASON_KEYS = ['reject_stock', 'reject_quality', 'reject_certification', 'reject_quota'] as const;
export const EXPORTER_REASON_KEYS = ['exporter_stock', 'exporter_production', 'exporter_schedule'] as const;
export const REASON_KEYS = [...REJECT_REASON_KEYS, ...EXPORTER_REASON_KEYS] as const;

export type RejectReasonKey = (typeof REJECT_REASON_KEYS)[number];
export type ExporterReasonKey = (typeof EXPORTER_REASON_KEYS)[number];
export type ReasonKey = (typeof REASON_KEYS)[number];

/**
 * A reason as given. `key` is the listed reason picked, or null for typed words; `text` is the words
 * (for a listed one, as the chooser read them: kept beside the key for the audit trail and for any
 * reader that predates keys).
 */
export interface Reason {
  key: ReasonKey | null;
  text: string;
}

export function isReasonKey(v: unknown): v is ReasonKey {
  return typeof v === 'string' && (REASON_KEYS as readonly string[]).includes(v);
}

export function isRejectReasonKey(v: unknown): v is RejectReasonKey {
  return typeof v === 'string' && (REJECT_REASON_KEYS as readonly string[]).includes(v);
}

/** Typed words: no key. */
export function reasonAsTyped(text: string): Reason {
  return { key: null, text };
}
