/** The Mini App API's shapes: one source for the server (src/web) and the page (src/webapp/types.ts). Types only. */

export type Decision = 'undecided' | 'shortlisted' | 'rejected' | 'withdrawn';

export interface Row {
  id: number;
  version: number;
  code: string;
  product: string;
  exporter: string;
  province: string;
  category: string;
  committed: number;
  unit: string;
  stock: number | null;
  stockAt: string | null;
  ready: boolean;
  reasons: string[];
  decision: Decision;
}

export interface Counts {
  entries: number;
  ready: number;
  shortlisted: number;
  rejected: number;
  undecided: number;
}

export interface SessionAnswer {
  token: string;
  expiresAt: string;
  user: { id: string; name: string; lang: 'id' | 'en' };
  messages: Record<string, string>;
}

export interface CampaignSummary {
  id: number | string;
  title: string;
  market: string;
  phase: string;
  maxShortlist: number;
  shortlisted: number;
  entries: number;
}

export interface CampaignInfo {
  id: number | string;
  title: string;
  market: string;
  phase: string;
  maxShortlist: number;
}

export interface TableAnswer {
  campaign: CampaignInfo;
  counts: Counts;
  rows: Row[];
  cursor: string;
}

export interface ChangesAnswer {
  counts: Counts;
  rows: Row[];
  cursor: string;
}

export interface EntryDetail {
  row: Row;
  product: {
    name: string;
    code: string;
    category: string;
    capacity: number | null;
    minOrder: number | null;
    certifications: string[];
    description: string | null;
    unit: string;
  };
  contact: {
    company: string;
    phone: string | null;
    email: string | null;
    contactPerson: string | null;
    province: string;
    city: string | null;
  };
  reports: { quantity: number; at: string }[];
  points: { at: string; quantity: number }[];
  committed: number;
  history: { at: string; text: string }[];
  /**
   * Why the entry was rejected or withdrawn, when it was: `text` in the caller's language for a listed
   * reason (`key` names it), typed words as typed (`key` null). Absent from answers of older servers.
   */
  reason?: { key: ReasonKeyName | null; text: string } | null;
}

/** The rejection reasons the page lists (src/domain/reasons.ts; src/web checks the two are the same). */
export type RejectReasonKeyName = 'reject_stock' | 'reject_quality' | 'reject_certification' | 'reject_quota';
export type ReasonKeyName = RejectReasonKeyName | 'exporter_stock' | 'exporter_production' | 'exporter_schedule';

export type DecisionAction = 'shortlist' | 'reject' | 'undo';

export interface DecisionBody {
  action: DecisionAction;
  version: number;
  /** Typed words (3–200 characters); stored as typed, and preferred when `reasonKey` comes too. */
  reason?: string;
  /** A listed rejection reason: stored by key, so each reader sees it in their own language. */
  reasonKey?: RejectReasonKeyName;
  confirmNotReady?: boolean;
}

/** What a decision call can end in; the page shows each differently. */
export type DecisionOutcome =
  | { kind: 'ok'; row: Row; counts: Counts }
  | { kind: 'stale'; row: Row }
  | { kind: 'needs_confirmation'; message: string; row: Row | null }
  | { kind: 'refused'; error: string; message: string; row: Row | null };
