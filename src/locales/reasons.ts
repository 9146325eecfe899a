import { isReasonKey, type Reason, type ReasonKey } from '../domain/reasons.js';
import type { MessageKey, Translate } from './index.js';

/**
 * Each listed reason's words. The button rows list them in this order (a Record, so a new key fails
 * the typecheck until it has words); the migration 0017 matched old stored words against these texts.
 */
export const REASON_MESSAGES: Record<ReasonKey, MessageKey> = {
  reject_stock: 'review.reasonStock',
  reject_quality: 'review.reasonQuality',
  reject_certification: 'review.reasonCertification',
  reject_quota: 'review.reasonQuota',
  exporter_stock: 'submit.reasonStock',
  exporter_production: 'submit.reasonProduction',
  exporter_schedule: 'submit.reasonSchedule',
};

/** A listed reason as it is stored: its key, and its words as the chooser reads them. */
export function listedReason(t: Translate, key: ReasonKey): Reason {
  return { key, text: t(REASON_MESSAGES[key]) };
}

/**
 * A stored reason as this reader reads it: a listed one in the reader's language, typed words as they
 * were typed; null when there is none. `key` is read as stored (a column, or a JSON payload written by
 * any release), so anything that is not a known key counts as none.
 */
export function reasonText(t: Translate, key: unknown, text: string | null | undefined): string | null {
  if (isReasonKey(key)) return t(REASON_MESSAGES[key]);
  return text ?? null;
}
