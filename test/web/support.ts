import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { pino } from 'pino';
import type { Database, Db } from '../../src/db/client.js';
import { auditLog, submissionEvents, submissions } from '../../src/db/schema/index.js';
import { saveBusiness } from '../../src/services/businesses.js';
import { createCampaign, type Campaign } from '../../src/services/campaigns.js';
import { createProduct } from '../../src/services/products.js';
import { createInvite, redeemInvite } from '../../src/services/roles.js';
import { reportStock, stockLineFor } from '../../src/services/stock.js';
import { submitProduct } from '../../src/services/submissions.js';
import { addToTeam } from '../../src/services/team.js';
import { recordSeenUser, type TelegramPerson } from '../../src/services/users.js';
import { createWebApp, signInitData, type RefusalMetrics } from '../../src/web/index.js';
import type { SessionAnswer } from '../../src/web/contract.js';
import { campaignInput } from '../support/campaign.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { TEST_TOKEN } from '../support/harness.js';

export { TEST_TOKEN };

/**
 * The app's clock for every web test: fixed for the whole run, and an hour behind the wall clock.
 * Stock reports are stamped with the app's clock while the poll's cursor is the wall clock
 * (src/web/api-campaigns.ts), so seeded stock must lie well before any cursor, as it does in production.
 */
export const NOW = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000);

export interface Refusal { status: number; reason: string }

/** The `metrics` dependency as a recorder. */
export class RecordingMetrics implements RefusalMetrics {
  readonly calls: Refusal[] = [];
  refused(status: 401 | 403 | 429, reason: string): void {
    this.calls.push({ status, reason });
  }
  count(status: number, reason?: string): number {
    return this.calls.filter((c) => c.status === status && (reason === undefined || c.reason === reason)).length;
  }
}

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  json: unknown;
}

export interface CallOptions {
  headers?: Record<string, string>;
  body?: unknown;
  /** The client's loopback address (127.0.0.x): the refusal limit is kept per address. */
  from?: string;
}

export interface WebServer {
  port: number;
  metrics: RecordingMetrics;
  /** One HTTP request, the path sent exactly as given (no normalisation of `..`). */
  call(method: string, path: string, opts?: CallOptions): Promise<Answer>;
  close(): Promise<void>;
}

/** `createWebApp` mounted on a node:http server of our own on port 0; other paths answer 404 "outside". */
export async function startWebServer(db: Db, opts: { staticDir?: string; botToken?: string; now?: () => Date; publicUrl?: string; trustProxy?: boolean } = {}): Promise<WebServer> {
  const metrics = new RecordingMetrics();
  const handler = createWebApp({
    db,
    botToken: opts.botToken ?? TEST_TOKEN,
    now: opts.now ?? (() => NOW),
    log: pino({ level: 'silent' }),
    staticDir: opts.staticDir ?? join(tmpdir(), 'etalase-web-test-no-static'),
    metrics,
    ...(opts.publicUrl ? { publicUrl: opts.publicUrl } : {}),
    ...(opts.trustProxy ? { trustProxy: true } : {}),
  });
  const server: Server = createServer((req, res) => {
    handler(req, res)
      .then((handled) => {
        if (!handled) {
          res.writeHead(404, { 'content-type': 'text/plain' });
          res.end('outside');
        }
      })
      .catch((err: unknown) => {
        res.writeHead(599);
        res.end(String(err));
      });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    metrics,
    call(method, path, o = {}) {
      const payload = o.body === undefined ? undefined : Buffer.from(JSON.stringify(o.body));
      const headers: Record<string, string | number> = { ...o.headers };
      if (payload) {
        headers['content-type'] ??= 'application/json';
        headers['content-length'] = payload.length;
      }
      return new Promise<Answer>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, method, path, headers, localAddress: o.from ?? '127.0.0.1', agent: false }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const body = Buffer.concat(chunks);
            const text = body.toString('utf8');
            let json: unknown;
            try {
              json = JSON.parse(text) as unknown;
            } catch {
              json = undefined;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text, json });
          });
        });
        req.on('error', reject);
        req.end(payload);
      });
    },
    close: () => new Promise<void>((r) => { server.close(() => { r(); }); server.closeAllConnections(); }),
  };
}

export function tma(initData: string): Record<string, string> {
  return { authorization: `tma ${initData}` };
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export function initDataFor(p: TelegramPerson, opts: { token?: string; authDate?: Date } = {}): string {
  return signInitData(
    { id: p.id, first_name: p.first_name, ...(p.last_name ? { last_name: p.last_name } : {}), ...(p.language_code ? { language_code: p.language_code } : {}) },
    opts.token ?? TEST_TOKEN,
    opts.authDate ?? NOW,
  );
}

/** A session token for this person, through `POST session` (throws unless it answers 200). */
export async function sessionFor(web: WebServer, p: TelegramPerson, from?: string): Promise<string> {
  // As the page sends it (src/webapp/api.ts): a JSON body of `{}`.
  const r = await web.call('POST', '/app/api/session', { headers: tma(initDataFor(p)), body: {}, ...(from ? { from } : {}) });
  if (r.status !== 200) throw new Error(`session for ${p.id}: ${r.status} ${r.text}`);
  return (r.json as SessionAnswer).token;
}

// ---------------------------------------------------------------------------------------------
// The world: seeded through the services, as the chat's flows would.

export interface Person extends TelegramPerson {
  first_name: string;
}

export interface Entry {
  owner: Person;
  productId: number;
  code: string;
  submissionId: number;
  committed: number;
  stock: number | null;
}

export interface World {
  testDb: TestDatabase;
  database: Database;
  db: Db;
  admin: Person;
  /** Created the campaign (so is in its team). */
  creator: Person;
  /** Added to the team by the creator. */
  helper: Person;
  /** An official outside the campaign's team. */
  outsider: Person;
  campaign: Campaign;
  entries: Entry[];
  close(): Promise<void>;
}

export interface EntrySpec {
  committed: number;
  /** The exporter's latest stock report (null: none). */
  stock: number | null;
  capacity?: number;
  /** When the stock was reported (default: NOW). */
  stockAt?: Date;
}

let nibSeq = 0;

async function seeUser(db: Db, p: Person, adminIds: readonly bigint[]): Promise<void> {
  await recordSeenUser(db, p, { chatId: p.id, adminIds, defaultTimeZone: 'Asia/Jakarta' }, NOW);
}

async function makeOfficial(db: Db, admin: Person, p: Person, adminIds: readonly bigint[]): Promise<void> {
  await seeUser(db, p, adminIds);
  const invite = await createInvite(db, BigInt(admin.id), NOW);
  if (!invite.ok) throw new Error(invite.error);
  const r = await redeemInvite(db, BigInt(p.id), invite.value.token, NOW);
  if (!r.ok) throw new Error(r.error);
}

/** An exporter with a business, one coffee product and (optionally) a stock report. */
export async function seedExporter(db: Db, p: Person, spec: { capacity?: number; stock: number | null; stockAt?: Date; name: string }): Promise<{ productId: number; code: string }> {
  await seeUser(db, p, []);
  nibSeq++;
  const nib = `9${String(p.id).padStart(9, '0').slice(-9)}${String(nibSeq).padStart(3, '0')}`;
  const b = await saveBusiness(db, BigInt(p.id), { companyName: `PT Kopi ${p.id}`, nib, province: 'Jawa Timur', city: 'Malang', phone: '+6281234567890', email: null });
  if (!b.ok) throw new Error(`business: ${b.error}`);
  const prod = await createProduct(
    db,
    BigInt(p.id),
    { name: spec.name, category: 'coffee', hsCode: null, baseUnit: 'kg', monthlyCapacity: spec.capacity ?? 10_000, minOrder: null, price: null, currency: null, certifications: [], photoFileId: null, description: 'Produk uji' },
    { maxActive: 10, allowDuplicateName: true },
  );
  if (!prod.ok) throw new Error(`product: ${prod.error}`);
  if (spec.stock !== null) {
    const [out] = await reportStock(db, BigInt(p.id), [stockLineFor(prod.value.code, String(spec.stock))], { locale: 'id', source: 'line', now: spec.stockAt ?? NOW });
    if (!out?.ok) throw new Error(`stock: ${JSON.stringify(out)}`);
  }
  return { productId: prod.value.id, code: prod.value.code };
}

/**
 * A campaign (created by `creator`, `helper` added to its team by the creator) with one entry per
 * spec, each from its own exporter. Ids are `base + n`.
 */
export async function seedWorld(base: number, specs: EntrySpec[], opts: { maxShortlist?: number } = {}): Promise<World> {
  const testDb = await createTestDatabase();
  const database = await testDb.open();
  const db = database.db;
  const person = (n: number, first_name: string, language_code = 'id'): Person => ({ id: base + n, first_name, language_code });
  const admin = person(1, 'Admin');
  const creator = person(2, 'Bu Retno');
  const helper = person(3, 'Pak Joko');
  const outsider = person(4, 'Bu Sinta');
  const adminIds = [BigInt(admin.id)];
  await seeUser(db, admin, adminIds);
  for (const o of [creator, helper, outsider]) await makeOfficial(db, admin, o, adminIds);
  const c = await createCampaign(db, BigInt(creator.id), campaignInput(NOW.getTime(), { title: 'Tmall 11.11 Web', maxShortlist: opts.maxShortlist ?? 3 }), NOW);
  if (!c.ok) throw new Error(`campaign: ${c.error}`);
  const team = await addToTeam(db, BigInt(creator.id), c.value.id, BigInt(helper.id));
  if (!team.ok) throw new Error(`team: ${team.error}`);
  const entries: Entry[] = [];
  for (const [i, spec] of specs.entries()) {
    const owner = person(100 + i, `Eksportir ${i}`);
    const { productId, code } = await seedExporter(db, owner, { name: `Kopi Web ${i}`, stock: spec.stock, ...(spec.capacity !== undefined ? { capacity: spec.capacity } : {}), ...(spec.stockAt ? { stockAt: spec.stockAt } : {}) });
    const s = await submitProduct(db, BigInt(owner.id), { campaignId: c.value.id, productId, committed: spec.committed }, { force: true, now: NOW });
    if (!s.ok) throw new Error(`submit: ${s.error}`);
    entries.push({ owner, productId, code, submissionId: s.value.submission.id, committed: spec.committed, stock: spec.stock });
  }
  return {
    testDb,
    database,
    db,
    admin,
    creator,
    helper,
    outsider,
    campaign: c.value,
    entries,
    async close() {
      await database.close();
      await testDb.drop();
    },
  };
}

export async function submissionRow(db: Db, id: number) {
  const [s] = await db.select().from(submissions).where(eq(submissions.id, id));
  if (!s) throw new Error(`no submission ${id}`);
  return s;
}

export function eventsOf(db: Db, submissionId: number) {
  return db.select().from(submissionEvents).where(eq(submissionEvents.submissionId, submissionId));
}

export function auditOf(db: Db, actorId: number, action?: string) {
  return db
    .select()
    .from(auditLog)
    .where(action === undefined ? eq(auditLog.actorId, BigInt(actorId)) : and(eq(auditLog.actorId, BigInt(actorId)), eq(auditLog.action, action)));
}

export function auditOfTarget(db: Db, target: string) {
  return db.select().from(auditLog).where(eq(auditLog.target, target));
}

/** A throwaway page directory (`<tmp>/www/index.html`) beside a file that must never be served. */
export async function makeStaticDir(): Promise<{ root: string; dir: string; cleanup(): Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'etalase-web-'));
  const dir = join(root, 'www');
  await mkdir(join(dir, 'assets'), { recursive: true });
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>Etalase</title><p>etalase-test-page</p>\n');
  await writeFile(join(dir, 'assets', 'app.js'), 'console.log("etalase-test-bundle");\n');
  await writeFile(join(dir, 'assets', 'big.js'), 'console.log("etalase-test-bundle");\n'.repeat(100));
  await writeFile(join(root, 'package.json'), '{"secret":"outside-the-static-dir"}\n');
  return { root, dir, cleanup: () => rm(root, { recursive: true, force: true }) };
}
