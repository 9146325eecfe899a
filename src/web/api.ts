import type { IncomingMessage, ServerResponse } from 'node:http';
import { findUser } from '../db/queries/users.js';
import { pickLanguage } from '../domain/language.js';
import { audit, authorize } from '../services/roles.js';
import { campaignChanges, campaignTable, listCampaigns, reportDownload, reportLink } from './api-campaigns.js';
import type { ApiCall, Caller, WebDeps } from './api-context.js';
import { entryDecision, entryPanel } from './api-entries.js';
import { authorization, readJsonBody, remoteAddress, sendJson } from './http-io.js';
import { checkInitData } from './init-data.js';
import { webappMessages } from './messages.js';
import { RefusalLimiter } from './refusals.js';
import { TableCache } from './table-cache.js';
import { issueSessionToken, verifySessionToken } from './session-token.js';

export const API_PREFIX = '/app/api/';

/**
 * `POST session`: Telegram's initData for a session token. Only valid initData names a person, so
 * only then is a refusal audited (`webapp.denied`, by `authorize`): a forgery leaves no row with an
 * actor it invented.
 */
async function openSession(call: ApiCall): Promise<void> {
  const raw = authorization(call.req, 'tma');
  if (!raw) { call.refuse(401, { error: 'invalid' }); return; }
  const body = await readJsonBody(call.req);
  if (!body.ok) { sendJson(call.res, body.error === 'too_large' ? 413 : 400, { error: body.error }); return; }
  const { db, botToken } = call.deps;
  const now = call.deps.now();
  const check = checkInitData(raw, botToken, now);
  if (!check.ok) { call.refuse(401, { error: check.error }); return; }
  const who = await authorize(db, check.user.id, 'official', 'webapp.denied', 'webapp');
  if (!who.ok) { call.refuse(403, { error: 'forbidden' }); return; }
  await audit(db, check.user.id, 'webapp.session', 'webapp');
  const lang = pickLanguage(who.value.language, check.user.languageCode);
  const { token, expiresAt } = issueSessionToken(botToken, check.user.id, now);
  const name = [check.user.firstName, check.user.lastName].filter(Boolean).join(' ') || who.value.displayName;
  sendJson(call.res, 200, { token, expiresAt: expiresAt.toISOString(), user: { id: String(check.user.id), name, lang }, messages: webappMessages(lang) });
}

/** The bearer of a valid session token; the role itself is checked by each service call. */
async function caller(call: ApiCall): Promise<Caller | null> {
  const token = authorization(call.req, 'bearer');
  const userId = token ? verifySessionToken(call.deps.botToken, token, call.deps.now()) : null;
  if (userId === null) return null;
  const user = await findUser(call.deps.db, userId);
  return { userId, lang: pickLanguage(user?.language, user?.telegramLanguage ?? undefined) };
}

type Handler = (call: ApiCall, who: Caller, id: number) => Promise<void>;

const ROUTES: { method: 'GET' | 'POST'; pattern: RegExp; handler: Handler }[] = [
  { method: 'GET', pattern: /^campaigns$/, handler: (c, w) => listCampaigns(c, w) },
  { method: 'GET', pattern: /^campaigns\/(\d{1,9})\/table$/, handler: campaignTable },
  { method: 'GET', pattern: /^campaigns\/(\d{1,9})\/changes$/, handler: campaignChanges },
  { method: 'POST', pattern: /^campaigns\/(\d{1,9})\/report-link$/, handler: reportLink },
  { method: 'GET', pattern: /^entries\/(\d{1,9})$/, handler: entryPanel },
  { method: 'POST', pattern: /^entries\/(\d{1,9})\/decision$/, handler: entryDecision },
];

const REPORT = /^campaigns\/(\d{1,9})\/report\.xlsx$/;

/** The JSON API under `/app/api/`: answers every request it is given (the caller checked the prefix). */
export function createApi(deps: WebDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const limiter = new RefusalLimiter(deps.now);
  const tables = new TableCache();
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const address = remoteAddress(req, deps.trustProxy);
    const call: ApiCall = {
      req,
      res,
      url,
      deps,
      tables,
      refuse(status, body) {
        limiter.record(address);
        deps.metrics?.refused(status, body.error);
        sendJson(res, status, body);
      },
    };
    if (limiter.blocked(address)) {
      deps.metrics?.refused(429, 'rate_limited');
      res.setHeader('retry-after', '60');
      sendJson(res, 429, { error: 'rate_limited' }); return;
    }
    const path = url.pathname.slice(API_PREFIX.length);
    try {
      if (path === 'session') { if (req.method === 'POST') await openSession(call); else sendJson(res, 405, { error: 'method' }); return; }
      const report = REPORT.exec(path);
      if (report) { if (req.method === 'GET') await reportDownload(call, Number(report[1])); else sendJson(res, 405, { error: 'method' }); return; }
      for (const r of ROUTES) {
        const m = r.pattern.exec(path);
        if (!m) continue;
        if (req.method !== r.method) { sendJson(res, 405, { error: 'method' }); return; }
        const who = await caller(call);
        if (!who) { call.refuse(401, { error: 'token' }); return; }
        await r.handler(call, who, Number(m[1] ?? 0)); return;
      }
      sendJson(res, 404, { error: 'not_found' });
    } catch (err) {
      deps.log.error({ err, path }, 'web app API call failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal' });
      else res.destroy();
    }
  };
}
