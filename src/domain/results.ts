/**
 * What an exporter is told about an entry, and when a change to it must be told again. Pure: the
 * services feed it the live status and the last published result.
 */
export const RESULT_OUTCOMES = ['shortlisted', 'not_selected', 'withdrawn'] as const;
export type ResultOutcome = (typeof RESULT_OUTCOMES)[number];

export type EntryStatus = 'submitted' | 'shortlisted' | 'rejected' | 'withdrawn';

/**
 * The result the live decision would publish, or null while there is nothing to tell yet.
 * - At the first publication every entry gets an answer: undecided ones are "not selected".
 * - Afterwards an undecided entry is told only when it was shortlisted before (an undo takes the
 *   pick back); a late entrant, or one that came back after withdrawing, waits for a decision.
 */
export function liveOutcome(status: EntryStatus, lastPublished: ResultOutcome | null, firstPublication: boolean): ResultOutcome | null {
  if (status === 'shortlisted') return 'shortlisted';
  if (status === 'rejected') return 'not_selected';
  if (status === 'withdrawn') return 'withdrawn';
  if (firstPublication) return 'not_selected';
  if (lastPublished === 'shortlisted' || lastPublished === 'not_selected') return 'not_selected';
  return null;
}

/**
 * The result to publish for an entry, or null when nothing changed. A withdrawal is the exporter's
 * own act, published at once by the withdrawal itself, so it is never a pending change.
 */
export function pendingOutcome(status: EntryStatus, lastPublished: ResultOutcome | null, firstPublication: boolean): ResultOutcome | null {
  if (status === 'withdrawn') return null;
  const next = liveOutcome(status, lastPublished, firstPublication);
  return next !== null && next !== lastPublished ? next : null;
}

/** What `/cek` and `/status` may say: the exporter's withdrawal at once, everything else once published. */
export type PublicState = 'withdrawn' | 'shortlisted' | 'not_selected' | 'pending';

export function publicState(status: EntryStatus, lastPublished: ResultOutcome | null): PublicState {
  if (status === 'withdrawn') return 'withdrawn';
  if (lastPublished === 'shortlisted' || lastPublished === 'not_selected') return lastPublished;
  return 'pending';
}
