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
}

export type DecisionAction = 'shortlist' | 'reject' | 'undo';

export interface DecisionBody {
  action: DecisionAction;
  version: number;
  reason?: string;
  confirmNotReady?: boolean;
}

/** What a decision call can end in; the page shows each differently. */
export type DecisionOutcome =
  | { kind: 'ok'; row: Row; counts: Counts }
  | { kind: 'stale'; row: Row }
  | { kind: 'needs_confirmation'; message: string; row: Row | null }
  | { kind: 'refused'; error: string; message: string; row: Row | null };
