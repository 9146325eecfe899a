import type { EntryEventDetails, EntryEventKind } from '../domain/entry-history.js';
import { qty } from './format.js';
import { reasonText } from './reasons.js';
import type { Lang, MessageKey, Translate } from './index.js';

/** A Record, so that a new event kind fails the typecheck until it has a label. */
const KIND_KEYS: Record<EntryEventKind, MessageKey> = {
  joined: 'history.joined',
  commitment_changed: 'history.commitmentChanged',
  reopened: 'history.reopened',
  shortlisted: 'history.shortlisted',
  rejected: 'history.rejected',
  undone: 'history.undone',
  result_published: 'history.resultPublished',
  withdrawn: 'history.withdrawn',
  stock_ready: 'history.stockReady',
  stock_cannot: 'history.stockCannot',
  stock_reported: 'history.stockReported',
  stock_asked: 'history.stockAsked',
  alerted: 'history.alerted',
  swapped_out: 'history.swappedOut',
  swapped_in: 'history.swappedIn',
};

const OUTCOME_KEYS: Readonly<Record<string, MessageKey>> = {
  shortlisted: 'history.outcomeShortlisted',
  not_selected: 'history.outcomeNotSelected',
  withdrawn: 'history.outcomeWithdrawn',
};

type Detail = 'committed' | 'reason' | 'outcome' | 'level' | 'alert' | 'other';

/** What the review card's one line keeps of each kind: the detail that explains the event. */
const BRIEF: Record<EntryEventKind, readonly Detail[]> = {
  joined: ['committed'],
  commitment_changed: ['committed'],
  reopened: ['reason'],
  shortlisted: [],
  rejected: ['reason'],
  undone: [],
  result_published: ['outcome'],
  withdrawn: ['reason'],
  stock_ready: ['level'],
  stock_cannot: ['reason'],
  stock_reported: ['level'],
  stock_asked: [],
  alerted: ['alert', 'level'],
  swapped_out: ['other'],
  swapped_in: ['other'],
};
const FULL: readonly Detail[] = ['committed', 'outcome', 'alert', 'level', 'reason', 'other'];

export function eventKindLabel(t: Translate, kind: EntryEventKind): string {
  return t(KIND_KEYS[kind]);
}

/**
 * An event's details as short phrases. The `history.*` detail messages take `{{- var}}`: `wrap` gets
 * every value that is not a number, so the report writes text as it is and the card escapes it.
 * `brief` keeps only what the card needs (the report shows every detail but the version).
 */
export function eventDetails(
  t: Translate,
  lang: Lang,
  kind: EntryEventKind,
  d: EntryEventDetails,
  unit: string,
  opts: { brief: boolean; wrap: (text: string) => string },
): string[] {
  const q = (n: number) => qty(n, unit, lang, t);
  const out: string[] = [];
  for (const part of opts.brief ? BRIEF[kind] : FULL) {
    if (part === 'committed' && typeof d.committed === 'number') {
      out.push(typeof d.previous === 'number' ? t('history.changed', { previous: q(d.previous), qty: q(d.committed) }) : t('history.committed', { qty: q(d.committed) }));
    } else if (part === 'level' && d.level !== undefined) {
      out.push(d.level === null ? t('history.noLevel') : t('history.level', { qty: q(d.level) }));
    } else if (part === 'reason' && d.reason) {
      // A listed reason in the reader's language; typed words as typed.
      out.push(t('history.reason', { reason: opts.wrap(reasonText(t, d.reasonKey, d.reason) ?? d.reason) }));
    } else if (part === 'outcome' && d.outcome) {
      const key = OUTCOME_KEYS[d.outcome];
      out.push(t('history.outcome', { outcome: key ? t(key) : opts.wrap(d.outcome) }));
    } else if (part === 'alert' && d.alert) {
      out.push(t(d.alert === 'low' ? 'history.alertLow' : 'history.alertStale'));
    } else if (part === 'other' && d.other) {
      out.push(t('history.other', { code: opts.wrap(d.other) }));
    }
  }
  return out;
}
