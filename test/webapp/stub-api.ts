import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { en } from '../../src/locales/en.js';
import { id } from '../../src/locales/id.js';
import { webappMessages } from '../../src/web/messages.js';
const ID = id.webapp;
const EN = en.webapp;
import type { Counts, DecisionBody, Row } from '../../src/webapp/types.js';

/**
 * A tiny stand-in for src/web's API with fixed JSON per the contract (issue 17), so the browser test
 * checks the page alone. It records what the page sends.
 */

export const STUB_BOT_TOKEN = '123456:stub-bot-token';
const PROVINCES = ['Jawa Barat', 'Jawa Timur', 'Bali', 'Sumatera Utara', 'Sulawesi Selatan'];
const CATEGORIES = ['Kopi', 'Kerajinan', 'Rempah', 'Tekstil'];
const PRODUCTS = ['Kopi Gayo', 'Tas Rotan', 'Lada Putih', 'Batik Tulis', 'Kayu Manis', 'Keripik Tempe'];
export const MAX_SHORTLIST = 3;
export const CAMPAIGN_ID = 7;

/** Hours since the stock report of row i (null: never reported). Chosen so row 1 is not the freshest. */
export function stockAgeHours(i: number): number | null {
  return i % 10 === 9 ? null : ((i * 37 + 11) % 300) + 1;
}

export function makeRows(n: number, now: number): Row[] {
  return Array.from({ length: n }, (_, i) => {
    const age = stockAgeHours(i);
    const committed = 500 * ((i % 7) + 1) + 1000;
    const ready = i % 3 !== 0;
    return {
      id: i + 1,
      version: 1,
      code: `EXP-${String(i + 1).padStart(4, '0')}`,
      product: `${PRODUCTS[i % PRODUCTS.length]!} ${i + 1}`,
      exporter: `CV Maju ${String.fromCharCode(65 + (i % 26))}`,
      province: PROVINCES[i % PROVINCES.length]!,
      category: CATEGORIES[i % CATEGORIES.length]!,
      committed,
      unit: 'kg',
      stock: age === null ? null : ready ? committed + 250 : Math.floor(committed / 2),
      stockAt: age === null ? null : new Date(now - age * 3600_000).toISOString(),
      ready,
      reasons: ready ? [] : ['stok di bawah komitmen'],
      decision: 'undecided',
    } satisfies Row;
  });
}

/** initData as Telegram signs it: HMAC-SHA256 with the key HMAC("WebAppData", bot token). */
export function signInitData(fields: Record<string, string>, botToken: string): string {
  const check = Object.keys(fields)
    .sort()
    .map((k) => `${k}=${fields[k]!}`)
    .join('\n');
  const secret = createHmac('sha256', 'WebAppData').update(botToken).digest();
  const hash = createHmac('sha256', secret).update(check).digest('hex');
  return new URLSearchParams({ ...fields, hash }).toString();
}

export function launchFragment(opts: { lang: 'id' | 'en'; theme: Record<string, string>; userId?: number }): string {
  const user = { id: opts.userId ?? 4242, first_name: 'Sari', last_name: 'Petugas', language_code: opts.lang, allows_write_to_pm: true };
  const initData = signInitData(
    { auth_date: String(Math.floor(Date.now() / 1000)), query_id: 'AAHdF6IQAAAAAN0XohDhrOrc', user: JSON.stringify(user), signature: 'c3R1Yi1zaWduYXR1cmU' },
    STUB_BOT_TOKEN,
  );
  const params = new URLSearchParams({
    tgWebAppData: initData,
    tgWebAppThemeParams: JSON.stringify(opts.theme),
    tgWebAppVersion: '7.10',
    tgWebAppPlatform: 'tdesktop',
  });
  return `#${params.toString()}`;
}

export interface StubApi {
  url: string;
  rows: Map<number, Row>;
  decisions: { entryId: number; body: DecisionBody }[];
  sessions: string[];
  /**
   * Decide an entry "elsewhere" (another official, the chat): bumps its version. `silent` keeps it
   * out of the changes feed, so the page still holds the old version (a race made deterministic).
   */
  decideElsewhere: (id: number, decision: Row['decision'], silent?: boolean) => void;
  /** Calls of the changes feed so far (the page polls it every 5 s). */
  changesCalls: () => number;
  /** Every session token stops working (as after its 4 hours): calls answer 401 `token`. */
  endSessions: () => void;
  close: () => Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? {} : (JSON.parse(text) as unknown);
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

export async function startStubApi(staticDir: string, rowCount = 300): Promise<StubApi> {
  const now = Date.now();
  const rows = new Map(makeRows(rowCount, now).map((r) => [r.id, r]));
  const decisions: StubApi['decisions'] = [];
  const sessions: string[] = [];
  const tokens = new Map<string, 'id' | 'en'>();
  let seq = 0;
  let changesCalls = 0;
  const changedAt = new Map<number, number>();

  const counts = (): Counts => {
    const all = [...rows.values()];
    return {
      entries: all.length,
      ready: all.filter((r) => r.ready).length,
      shortlisted: all.filter((r) => r.decision === 'shortlisted').length,
      rejected: all.filter((r) => r.decision === 'rejected').length,
      undecided: all.filter((r) => r.decision === 'undecided').length,
    };
  };
  const update = (id: number, patch: Partial<Row>, silent = false): Row => {
    const next = { ...rows.get(id)!, ...patch, version: rows.get(id)!.version + 1 };
    rows.set(id, next);
    if (!silent) changedAt.set(id, ++seq);
    return next;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://stub');
    const path = url.pathname;
    // Counted before the token is checked: a refused poll is a poll too.
    if (path.endsWith('/changes')) changesCalls++;
    if (!path.startsWith('/app/api/')) {
      const file = path === '/app/' ? 'index.html' : path.replace(/^\/app\//, '');
      if (!['index.html', 'app.js', 'app.css'].includes(file)) { send(res, 404, { error: 'not_found' }); return; }
      const body = await readFile(join(staticDir, file));
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
      return;
    }
    const auth = req.headers.authorization ?? '';
    if (req.method === 'POST' && path === '/app/api/session') {
      if (!auth.startsWith('tma ')) { send(res, 401, { error: 'invalid' }); return; }
      const raw = auth.slice(4);
      sessions.push(raw);
      const user = JSON.parse(new URLSearchParams(raw).get('user') ?? '{}') as { id?: number; first_name?: string; language_code?: string };
      const lang = user.language_code === 'en' ? 'en' : 'id';
      const token = `stub-token-${sessions.length}`;
      tokens.set(token, lang);
      send(res, 200, {
        token,
        expiresAt: new Date(Date.now() + 4 * 3600_000).toISOString(),
        user: { id: String(user.id ?? 0), name: user.first_name ?? '', lang },
        messages: webappMessages(lang),
      }); return;
    }
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    if (!tokens.has(token)) { send(res, 401, { error: 'token' }); return; }
    const lang = tokens.get(token)!;

    if (req.method === 'GET' && path === '/app/api/campaigns') {
      const c = counts();
      send(res, 200, { campaigns: [{ id: CAMPAIGN_ID, title: 'Harbolnas 11.11 — Jepang', market: 'Jepang', phase: id.phases.review, maxShortlist: MAX_SHORTLIST, shortlisted: c.shortlisted, entries: c.entries }] }); return;
    }
    const table = /^\/app\/api\/campaigns\/(\d+)\/(table|changes|report-link)$/.exec(path);
    if (table !== null) {
      if (Number(table[1]) !== CAMPAIGN_ID) { send(res, 404, { error: 'not_found' }); return; }
      if (table[2] === 'table') {
        send(res, 200, {
          campaign: { id: CAMPAIGN_ID, title: 'Harbolnas 11.11 — Jepang', market: 'Jepang', phase: id.phases.review, maxShortlist: MAX_SHORTLIST },
          counts: counts(),
          rows: [...rows.values()],
          cursor: String(seq),
        }); return;
      }
      if (table[2] === 'changes') {
        const since = Number(url.searchParams.get('since') ?? '0');
        const changed = [...rows.values()].filter((r) => (changedAt.get(r.id) ?? 0) > since);
        send(res, 200, { counts: counts(), rows: changed, cursor: String(seq) }); return;
      }
      send(res, 200, { url: `/app/api/campaigns/${CAMPAIGN_ID}/report.xlsx?exp=1&sig=stub` }); return;
    }
    const entry = /^\/app\/api\/entries\/(\d+)(\/decision)?$/.exec(path);
    if (entry !== null) {
      const id = Number(entry[1]);
      const row = rows.get(id);
      if (row === undefined) { send(res, 404, { error: 'not_found' }); return; }
      if (req.method === 'GET' && entry[2] === undefined) {
        const points = Array.from({ length: 6 }, (_, k) => ({ at: new Date(now - (6 - k) * 86_400_000).toISOString(), quantity: row.committed + (k - 3) * 200 }));
        send(res, 200, {
          row,
          product: { name: row.product, code: row.code, category: row.category, capacity: 20_000, minOrder: 500, certifications: ['Halal MUI', 'SNI'], description: 'Produk contoh.', unit: row.unit },
          contact: { company: row.exporter, phone: '+62 812-3456-7890', email: 'ekspor@example.co.id', contactPerson: 'Budi', province: row.province, city: 'Bandung' },
          reports: points.slice(-3).reverse().map((p) => ({ quantity: p.quantity, at: p.at })),
          points,
          committed: row.committed,
          history: [{ at: new Date(now - 7 * 86_400_000).toISOString(), text: lang === 'en' ? 'Registered' : 'Didaftarkan' }],
        }); return;
      }
      if (req.method === 'POST' && entry[2] !== undefined) {
        const body = (await readBody(req)) as DecisionBody;
        decisions.push({ entryId: id, body });
        if (body.version !== row.version) { send(res, 409, { error: 'stale', row }); return; }
        const c = counts();
        if (body.action === 'shortlist') {
          if (row.decision !== 'undecided') { send(res, 409, { error: 'stale', row }); return; }
          if (c.shortlisted >= MAX_SHORTLIST) { send(res, 422, { error: 'max_reached', message: lang === 'en' ? EN.refused_max_reached : ID.refused_max_reached, row }); return; }
          if (!row.ready && body.confirmNotReady !== true) {
            send(res, 422, { error: 'needs_confirmation', message: lang === 'en' ? 'Not ready: stock below the commitment. Pick anyway?' : 'Belum siap: stok di bawah komitmen. Tetap pilih?', row }); return;
          }
          const next = update(id, { decision: 'shortlisted' });
          send(res, 200, { row: next, counts: counts() }); return;
        }
        if (body.action === 'reject') { send(res, 200, { row: update(id, { decision: 'rejected' }), counts: counts() }); return; }
        send(res, 200, { row: update(id, { decision: 'undecided' }), counts: counts() }); return;
      }
    }
    send(res, 404, { error: 'not_found' });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      send(res, 500, { error: 'stub', message: String(e) });
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    rows,
    decisions,
    sessions,
    decideElsewhere: (id, decision, silent = false) => {
      update(id, { decision }, silent);
    },
    changesCalls: () => changesCalls,
    endSessions: () => {
      tokens.clear();
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => {
          ok();
        });
      }),
  };
}
