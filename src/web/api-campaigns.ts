import { submissionCounts } from '../db/queries/submissions.js';
import { findUser } from '../db/queries/users.js';
import { pickLanguage } from '../domain/language.js';
import { campaignForOfficial, myCampaigns } from '../services/campaigns.js';
import { campaignReport } from '../services/reports.js';
import { reviewChanges, reviewTableStamp } from '../services/review.js';
import type { ApiCall, Caller } from './api-context.js';
import { sendJson, sendJsonSpliced } from './http-io.js';
import { signReportQuery, verifyReportQuery } from './report-link.js';
import { campaignHeader, countsOf, toRow } from './rows.js';

/**
 * How far back each poll looks before its cursor. `updated_at` is stamped when a transaction writes,
 * not when it commits, so a decision committed just after a poll can carry an earlier time; rows are
 * sent again for this long instead of being missed (the page replaces rows by id, so a repeat is harmless).
 */
export const CHANGES_OVERLAP_MS = 30_000;

/**
 * The cursor is the wall clock, not the app's clock: `updated_at` is written with the wall clock
 * (db/queries/submissions.ts `setSubmission`), and the two must be compared on one clock.
 */
const cursorNow = () => new Date();

export async function listCampaigns(call: ApiCall, who: Caller): Promise<void> {
  const r = await myCampaigns(call.deps.db, who.userId);
  if (!r.ok) { call.refuse(403, { error: 'forbidden' }); return; }
  const now = call.deps.now();
  const campaigns = await Promise.all(
    r.value.map(async (c) => {
      const n = await submissionCounts(call.deps.db, c.id);
      return { ...campaignHeader(who.lang, c, now), shortlisted: n.shortlisted, entries: n.total };
    }),
  );
  sendJson(call.res, 200, { campaigns });
}

/**
 * The whole campaign once (the page sorts, filters and searches itself). The role is checked and the
 * rows' stamp read on every call; rows built before under the same stamp are sent again as they were,
 * and after a change only the rows that changed are read again (table-cache.ts). Gzipped for the phone.
 */
export async function campaignTable(call: ApiCall, who: Caller, campaignId: number): Promise<void> {
  const cursor = cursorNow();
  const now = call.deps.now();
  const { db } = call.deps;
  const r = await reviewTableStamp(db, who.userId, campaignId);
  if (!r.ok) { if (r.error === 'forbidden') call.refuse(403, { error: 'forbidden' }); else sendJson(call.res, 404, { error: 'not_found' }); return; }
  const { campaign, stamp } = r.value;
  const table = await call.tables.table(db, campaign, who.lang, stamp, now);
  // The header (its phase follows the clock) and the cursor are this call's; the rows are the table's,
  // first in the object so that their compressed bytes are reused as they are.
  const tail = `,"campaign":${JSON.stringify(campaignHeader(who.lang, campaign, now))},"cursor":${JSON.stringify(cursor.toISOString())}}`;
  sendJsonSpliced(call.req, call.res, 200, table.wire, tail);
}

export async function campaignChanges(call: ApiCall, who: Caller, campaignId: number): Promise<void> {
  const since = new Date(call.url.searchParams.get('since') ?? '');
  if (Number.isNaN(since.getTime())) { sendJson(call.res, 400, { error: 'bad_request' }); return; }
  const cursor = cursorNow();
  const now = call.deps.now();
  const r = await reviewChanges(call.deps.db, who.userId, campaignId, new Date(since.getTime() - CHANGES_OVERLAP_MS), now);
  if (!r.ok) { if (r.error === 'forbidden') call.refuse(403, { error: 'forbidden' }); else sendJson(call.res, 404, { error: 'not_found' }); return; }
  sendJson(call.res, 200, { counts: countsOf(r.value.items), rows: r.value.changed.map((i) => toRow(who.lang, i)), cursor: cursor.toISOString() });
}

export async function reportLink(call: ApiCall, who: Caller, campaignId: number): Promise<void> {
  // Checked now as well as at download: a link is never handed to someone who could not use it.
  const r = await campaignForOfficial(call.deps.db, who.userId, campaignId);
  if (!r.ok) { if (r.error === 'forbidden') call.refuse(403, { error: 'forbidden' }); else sendJson(call.res, 404, { error: 'not_found' }); return; }
  const path = `campaigns/${campaignId}/report.xlsx?${signReportQuery(call.deps.botToken, campaignId, who.userId, call.deps.now())}`;
  const url = call.deps.publicUrl ? new URL(`api/${path}`, call.deps.publicUrl.endsWith('/') ? call.deps.publicUrl : `${call.deps.publicUrl}/`).toString() : `/app/api/${path}`;
  sendJson(call.res, 200, { url });
}

/** The signed download: the same service (and audit) as `/laporan`, for the user the link names. */
export async function reportDownload(call: ApiCall, campaignId: number): Promise<void> {
  const userId = verifyReportQuery(call.deps.botToken, campaignId, call.url.searchParams, call.deps.now());
  if (userId === null) { call.refuse(403, { error: 'forbidden' }); return; }
  const user = await findUser(call.deps.db, userId);
  // The same file as `/laporan`: the official's language and zone, sheets and headers from the locales.
  const r = await campaignReport(call.deps.db, userId, campaignId, {
    now: call.deps.now(),
    timeZone: user?.timeZone ?? 'Asia/Jakarta',
    lang: pickLanguage(user?.language, user?.telegramLanguage ?? undefined),
  });
  if (!r.ok) { if (r.error === 'forbidden') call.refuse(403, { error: 'forbidden' }); else sendJson(call.res, 404, { error: 'not_found' }); return; }
  call.res.writeHead(200, {
    'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    // reportFileBase keeps the name to [A-Za-z0-9-] and a date: nothing to escape in the header.
    'content-disposition': `attachment; filename="${r.value.fileNames.xlsx}"`,
    'cache-control': 'no-store',
    'content-length': r.value.xlsx.length,
  });
  call.res.end(r.value.xlsx);
}
