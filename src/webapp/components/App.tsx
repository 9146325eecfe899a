import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, type ApiClient } from '../api.js';
import { createI18n, presessionText, type Lang } from '../i18n.js';
import { distinct, filterRows, mergeRows, NO_FILTERS, sortRows, type Filters, type Sort, type SortKey } from '../table-model.js';
import { post } from '../telegram.js';
import type { CampaignInfo, CampaignSummary, Counts, Row, SessionAnswer } from '../types.js';
import { Panel } from './Panel.js';
import { Table } from './Table.js';

export const POLL_MS = 5000;

interface Props {
  api: ApiClient;
  rawInitData: string | null;
  /** `?campaign=ID` or the start parameter: open that campaign directly. */
  initialCampaign: string | null;
  /** The language of the screens before the session answer brings the texts (see `launchLang`). */
  launchLang: Lang;
}

type Screen =
  | { kind: 'loading' }
  | { kind: 'error'; key: string }
  | { kind: 'picker'; campaigns: CampaignSummary[] }
  | { kind: 'table'; campaignId: string };

interface TableState {
  campaign: CampaignInfo;
  counts: Counts;
  rows: Row[];
  cursor: string;
}

function sessionErrorKey(e: unknown): string {
  if (e instanceof ApiError) {
    // `token`: the session token (not Telegram's initData) was refused, e.g. after its 4 hours.
    if (e.status === 401) return e.code === 'expired' ? 'errorExpired' : e.code === 'token' ? 'errorSession' : 'errorInvalid';
    if (e.status === 403) return 'errorForbidden';
    return 'errorGeneric';
  }
  return 'errorNetwork';
}

export function App({ api, rawInitData, initialCampaign, launchLang }: Props) {
  const [session, setSession] = useState<SessionAnswer | null>(null);
  const [screen, setScreen] = useState<Screen>({ kind: 'loading' });
  const [table, setTable] = useState<TableState | null>(null);
  const [sort, setSort] = useState<Sort>({ key: 'code', dir: 'asc' });
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [openId, setOpenId] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const [banner, setBanner] = useState<string | null>(null);
  const cursor = useRef<string | null>(null);

  const messages = useMemo(() => session?.messages ?? {}, [session]);
  const i18n = useMemo(() => createI18n(session?.user.lang ?? 'id', messages), [session, messages]);

  useEffect(() => {
    if (session !== null) document.documentElement.lang = session.user.lang;
  }, [session]);

  const openCampaign = useCallback(
    async (id: string): Promise<void> => {
      setScreen({ kind: 'loading' });
      setOpenId(null);
      try {
        const t = await api.table(id);
        cursor.current = t.cursor;
        setTable({ campaign: t.campaign, counts: t.counts, rows: t.rows, cursor: t.cursor });
        setFilters(NO_FILTERS);
        setScreen({ kind: 'table', campaignId: id });
      } catch (e) {
        setScreen({ kind: 'error', key: sessionErrorKey(e) });
      }
    },
    [api],
  );

  const showPicker = useCallback(async (): Promise<void> => {
    setScreen({ kind: 'loading' });
    setTable(null);
    try {
      const campaigns = await api.campaigns();
      setScreen({ kind: 'picker', campaigns });
    } catch (e) {
      setScreen({ kind: 'error', key: sessionErrorKey(e) });
    }
  }, [api]);

  // Sign in with initData, then open the campaign asked for (or the picker).
  useEffect(() => {
    if (rawInitData === null) {
      setScreen({ kind: 'error', key: 'errorNoInitData' });
      return;
    }
    api.session(rawInitData).then(
      (s) => {
        setSession(s);
        if (initialCampaign !== null) void openCampaign(initialCampaign);
        else void showPicker();
      },
      (e: unknown) => {
        setScreen({ kind: 'error', key: sessionErrorKey(e) });
      },
    );
  }, [api, rawInitData, initialCampaign, openCampaign, showPicker]);

  // Live enough: merge what changed since the cursor, every 5 s while the page is visible.
  const campaignId = screen.kind === 'table' ? screen.campaignId : null;
  useEffect(() => {
    if (campaignId === null) return;
    let stopped = false;
    let inFlight = false;
    const tick = async (): Promise<void> => {
      setNow(Date.now());
      if (inFlight || document.hidden || cursor.current === null) return;
      inFlight = true;
      try {
        const c = await api.changes(campaignId, cursor.current);
        if (stopped) return;
        cursor.current = c.cursor;
        setTable((t) => (t === null ? t : { ...t, counts: c.counts, rows: mergeRows(t.rows, c.rows), cursor: c.cursor }));
        setBanner(null);
      } catch (e) {
        if (stopped) return;
        const ended = e instanceof ApiError && e.status === 401;
        setBanner(ended ? 'errorSession' : 'errorOffline');
        // A session that ended stays ended: polling on would only collect refusals, which the server
        // counts against this address's rate limit (shared by a whole office behind one NAT).
        if (ended) {
          stopped = true;
          window.clearInterval(timer);
        }
      } finally {
        inFlight = false;
      }
    };
    const timer = window.setInterval(() => void tick(), POLL_MS);
    return () => {
      stopped = true;
      window.clearInterval(timer);
    };
  }, [api, campaignId]);

  const onRow = useCallback((row: Row, counts?: Counts) => {
    setTable((t) => (t === null ? t : { ...t, rows: mergeRows(t.rows, [row]), counts: counts ?? t.counts }));
  }, []);
  const closePanel = useCallback(() => {
    setOpenId(null);
  }, []);
  const onSort = useCallback((key: SortKey) => {
    setSort((s) => (s.key === key ? { key, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: 'asc' }));
  }, []);

  const allRows = table?.rows;
  const provinces = useMemo(() => (allRows === undefined ? [] : distinct(allRows, 'province')), [allRows]);
  const categories = useMemo(() => (allRows === undefined ? [] : distinct(allRows, 'category')), [allRows]);
  // The sort uses the time of the last poll, so ages do not reorder rows between ticks.
  const shown = useMemo(() => (allRows === undefined ? [] : sortRows(filterRows(allRows, filters), sort, now)), [allRows, filters, sort, now]);
  const openRow = openId === null ? undefined : allRows?.find((r) => r.id === openId);

  const openReport = async (): Promise<void> => {
    if (campaignId === null) return;
    try {
      const url = new URL(await api.reportLink(campaignId), window.location.href).toString();
      if (!post('web_app_open_link', { url })) window.location.href = url;
    } catch (e) {
      setBanner(e instanceof ApiError && e.status === 403 ? 'errorForbidden' : 'errorGeneric');
    }
  };

  if (session === null && screen.kind === 'loading') return <p class="center">{presessionText(launchLang, 'loading')}</p>;
  if (screen.kind === 'error') {
    return (
      <div class="center" role="alert" data-testid="error">
        <p>{session === null ? presessionText(launchLang, screen.key) : i18n.t(screen.key)}</p>
        {session !== null && (
          <button type="button" onClick={() => void showPicker()}>
            {i18n.t('retry')}
          </button>
        )}
      </div>
    );
  }
  if (screen.kind === 'loading') return <p class="center">{i18n.t('loading')}</p>;
  if (screen.kind === 'picker') {
    return (
      <main class="picker">
        <h1>{i18n.t('pickCampaign')}</h1>
        {screen.campaigns.length === 0 && <p class="hint">{i18n.t('noCampaigns')}</p>}
        <ul>
          {screen.campaigns.map((c) => (
            <li key={c.id}>
              <button type="button" class="campaign" data-testid="campaign" data-id={c.id} onClick={() => void openCampaign(String(c.id))}>
                <strong>{c.title}</strong>
                <span class="hint">
                  {c.market} · {c.phase}
                </span>
                <span class="hint">
                  {i18n.t('campaignLine', { count: c.entries, n: c.shortlisted, max: c.maxShortlist })}
                </span>
              </button>
            </li>
          ))}
        </ul>
      </main>
    );
  }
  if (table === null) return null;

  const { campaign, counts } = table;
  const setFilter = <K extends keyof Filters>(k: K, v: Filters[K]): void => {
    setFilters((f) => ({ ...f, [k]: v }));
  };
  return (
    <main class="app">
      <header class="head" data-testid="header">
        <div class="title">
          <button type="button" class="icon" aria-label={i18n.t('backToCampaigns')} data-testid="back" onClick={() => void showPicker()}>
            ←
          </button>
          <h1 data-testid="campaign-title">{campaign.title}</h1>
          <span class="badge" data-testid="phase">
            {campaign.phase}
          </span>
        </div>
        <p class="counts" data-testid="counts">
          <span data-testid="chosen">{i18n.t('chosen', { n: counts.shortlisted, max: campaign.maxShortlist })}</span>
          {' · '}
          {i18n.t('countsLine', { count: counts.entries, ready: counts.ready, undecided: counts.undecided, rejected: counts.rejected })}
        </p>
        <div class="toolbar" role="search">
          <input
            type="search"
            value={filters.search}
            placeholder={i18n.t('searchPlaceholder')}
            aria-label={i18n.t('searchLabel')}
            data-testid="search"
            onInput={(e) => {
              setFilter('search', e.currentTarget.value);
            }}
          />
          <label class="check">
            <input type="checkbox" checked={filters.readyOnly} data-testid="filter-ready" onChange={(e) => { setFilter('readyOnly', e.currentTarget.checked); }} />
            {i18n.t('filterReady')}
          </label>
          <label class="check">
            <input type="checkbox" checked={filters.undecided} data-testid="filter-undecided" onChange={(e) => { setFilter('undecided', e.currentTarget.checked); }} />
            {i18n.t('filterUndecided')}
          </label>
          <label class="check">
            <input type="checkbox" checked={filters.shortlisted} data-testid="filter-shortlisted" onChange={(e) => { setFilter('shortlisted', e.currentTarget.checked); }} />
            {i18n.t('filterShortlisted')}
          </label>
          <select aria-label={i18n.t('colProvince')} value={filters.province} data-testid="filter-province" onChange={(e) => { setFilter('province', e.currentTarget.value); }}>
            <option value="">{i18n.t('allProvinces')}</option>
            {provinces.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
          <select aria-label={i18n.t('colCategory')} value={filters.category} data-testid="filter-category" onChange={(e) => { setFilter('category', e.currentTarget.value); }}>
            <option value="">{i18n.t('allCategories')}</option>
            {categories.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
          <button type="button" data-testid="report" onClick={() => void openReport()}>
            📥 {i18n.t('report')}
          </button>
        </div>
        <p class="hint" aria-live="polite" data-testid="shown">
          {i18n.t('shown', { n: shown.length, total: table.rows.length })}
        </p>
        {banner !== null && (
          <p class="notice warn" role="status" data-testid="banner">
            {i18n.t(banner)}
          </p>
        )}
      </header>
      <Table
        i18n={i18n}
        rows={shown}
        total={table.rows.length}
        sort={sort}
        now={now}
        orderKey={JSON.stringify([sort, filters])}
        selectedId={openId}
        onSort={onSort}
        onOpen={(r) => {
          setOpenId(r.id);
        }}
      />
      {openRow !== undefined && <Panel i18n={i18n} api={api} row={openRow} now={now} onRow={onRow} onClose={closePanel} />}
    </main>
  );
}
