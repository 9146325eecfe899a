import type {
  CampaignSummary,
  ChangesAnswer,
  DecisionBody,
  DecisionOutcome,
  EntryDetail,
  Row,
  SessionAnswer,
  TableAnswer,
} from './types.js';

/** An API answer that was not 2xx: the status and the `error` code of the body (if any). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly body: Record<string, unknown>,
  ) {
    super(`${status} ${code}`);
    this.name = 'ApiError';
  }
}

/** `/app/api/` relative to where the page is served (the page lives under `/app/`). */
export function apiBase(pathname: string): string {
  const i = pathname.indexOf('/app/');
  const prefix = i >= 0 ? pathname.slice(0, i) : '';
  return `${prefix}/app/api/`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

async function readJson(res: Response): Promise<Record<string, unknown>> {
  const text = await res.text();
  if (text === '') return {};
  try {
    const v: unknown = JSON.parse(text);
    return isRecord(v) ? v : {};
  } catch {
    return {};
  }
}

export class ApiClient {
  private token: string | null = null;

  constructor(
    private readonly base: string,
    private readonly fetchImpl: typeof fetch = (input, init) => fetch(input, init),
  ) {}

  private async call(method: 'GET' | 'POST', path: string, body?: unknown, auth?: string): Promise<Record<string, unknown>> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const authorization = auth ?? (this.token === null ? undefined : `Bearer ${this.token}`);
    if (authorization !== undefined) headers.Authorization = authorization;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const init: RequestInit = { method, headers, cache: 'no-store' };
    if (body !== undefined) init.body = JSON.stringify(body);
    const res = await this.fetchImpl(this.base + path, init);
    const json = await readJson(res);
    if (!res.ok) {
      const code = typeof json.error === 'string' ? json.error : `http_${res.status}`;
      throw new ApiError(res.status, code, json);
    }
    return json;
  }

  /** Exchanges Telegram's raw initData for a session token, kept in memory only. */
  async session(rawInitData: string): Promise<SessionAnswer> {
    const json = await this.call('POST', 'session', {}, `tma ${rawInitData}`);
    const answer = json as unknown as SessionAnswer;
    this.token = answer.token;
    return answer;
  }

  async campaigns(): Promise<CampaignSummary[]> {
    const json = await this.call('GET', 'campaigns');
    return Array.isArray(json.campaigns) ? (json.campaigns as CampaignSummary[]) : [];
  }

  async table(campaignId: string): Promise<TableAnswer> {
    return (await this.call('GET', `campaigns/${encodeURIComponent(campaignId)}/table`)) as unknown as TableAnswer;
  }

  async changes(campaignId: string, since: string): Promise<ChangesAnswer> {
    const path = `campaigns/${encodeURIComponent(campaignId)}/changes?since=${encodeURIComponent(since)}`;
    return (await this.call('GET', path)) as unknown as ChangesAnswer;
  }

  async entry(entryId: number): Promise<EntryDetail> {
    return (await this.call('GET', `entries/${entryId}`)) as unknown as EntryDetail;
  }

  async reportLink(campaignId: string): Promise<string> {
    const json = await this.call('POST', `campaigns/${encodeURIComponent(campaignId)}/report-link`, {});
    if (typeof json.url !== 'string') throw new ApiError(500, 'no_url', json);
    return json.url;
  }

  /** A decision; 409 and 422 are answers the page shows, not failures. */
  async decide(entryId: number, body: DecisionBody): Promise<DecisionOutcome> {
    try {
      const json = await this.call('POST', `entries/${entryId}/decision`, body);
      return { kind: 'ok', row: json.row as Row, counts: json.counts as TableAnswer['counts'] };
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      const row = isRecord(e.body.row) ? (e.body.row as unknown as Row) : null;
      const message = typeof e.body.message === 'string' ? e.body.message : '';
      if (e.status === 409 && e.code === 'stale' && row !== null) return { kind: 'stale', row };
      if (e.status === 422 && e.code === 'needs_confirmation') return { kind: 'needs_confirmation', message, row };
      if (e.status === 422 || e.status === 409) return { kind: 'refused', error: e.code, message, row };
      throw e;
    }
  }
}
