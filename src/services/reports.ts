import { campaignById } from '../db/queries/campaigns.js';
import type { Db } from '../db/client.js';
import { entryEventsOf } from '../db/queries/entry-events.js';
import { submissionRows, type SubmissionRow } from '../db/queries/submissions.js';
import { reportsOfProductsSince } from '../db/queries/stock.js';
import { displayNames } from '../db/queries/users.js';
import { pickLanguage } from '../domain/language.js';
import { err, ok, type Result } from '../domain/result.js';
import { eventDetails, eventKindLabel } from '../locales/entry-history.js';
import { translator, type Translate } from '../locales/index.js';
import { renderCsv, renderXlsx, type SheetSpec } from './render/spreadsheet.js';
import { audit } from './roles.js';
import { authorizeCampaign } from './team.js';

export interface ReportLabels {
  submissions: string;
  shortlist: string;
  history: string;
  entryHistory: string;
}

const COLUMNS: SheetSpec['columns'] = [
  { header: 'code', key: 'code', width: 12 },
  { header: 'product', key: 'product', width: 30 },
  { header: 'exporter', key: 'exporter', width: 28 },
  { header: 'nib', key: 'nib', width: 16 },
  { header: 'province', key: 'province', width: 20 },
  { header: 'category', key: 'category', width: 16 },
  { header: 'hs_code', key: 'hs', width: 12 },
  { header: 'unit', key: 'unit', width: 8 },
  { header: 'committed', key: 'committed', width: 12, numFmt: '#,##0.###' },
  { header: 'latest_stock', key: 'stock', width: 12, numFmt: '#,##0.###' },
  { header: 'stock_age_days', key: 'age', width: 10, numFmt: '0.0' },
  { header: 'stock_reported_at', key: 'reportedAt', width: 18 },
  { header: 'status', key: 'status', width: 12 },
  { header: 'decided_by', key: 'decidedBy', width: 20 },
  { header: 'decided_at', key: 'decidedAt', width: 18 },
  { header: 'reason', key: 'reason', width: 30 },
  { header: 'withdrawn_reason', key: 'withdrawnReason', width: 30 },
  { header: 'published_result', key: 'published', width: 14 },
  { header: 'contact_name', key: 'contactName', width: 24 },
  { header: 'phone', key: 'phone', width: 16 },
  { header: 'email', key: 'email', width: 26 },
  { header: 'telegram_username', key: 'username', width: 20 },
];

const HISTORY_COLUMNS: SheetSpec['columns'] = [
  { header: 'code', key: 'code', width: 12 },
  { header: 'product', key: 'product', width: 30 },
  { header: 'at', key: 'at', width: 18 },
  { header: 'kind', key: 'kind', width: 24 },
  { header: 'actor', key: 'actor', width: 22 },
  { header: 'details', key: 'details', width: 50 },
];

/** The contact person, or the owner's Telegram name standing in, marked so (as on the review card). */
function contactName(t: Translate, r: SubmissionRow): string {
  return r.business.contactName ?? `${r.ownerName} ${t('contact.telegramName')}`;
}

/**
 * `/laporan`: the campaign as officials open it in Excel — XLSX (submissions, shortlist, stock history,
 * each entry's history) and CSV (submissions, UTF-8 with BOM). Numbers stay numbers; times are shown in
 * the official's zone, words in the official's language. It carries the exporters' contacts, so only
 * the campaign's team (or an admin) may export it, and every export is audited.
 */
export async function campaignReport(
  db: Db,
  officialId: bigint,
  campaignId: number,
  opts: { now: Date; timeZone: string; labels: ReportLabels },
): Promise<Result<{ title: string; xlsx: Buffer; csv: Buffer; rows: number }, 'forbidden' | 'not_found'>> {
  const who = await authorizeCampaign(db, officialId, campaignId, 'report.export');
  if (!who.ok) return who;
  // The language the bot speaks to this official (the same rule as every reply).
  const lang = pickLanguage(who.value.language, who.value.telegramLanguage ?? undefined);
  const t = translator(lang);
  const rows = await submissionRows(db, { campaignId, status: ['submitted', 'shortlisted', 'rejected', 'withdrawn'] });
  const campaign = await campaignById(db, campaignId);
  if (!campaign) return err('not_found');
  const deciders = [...new Set(rows.map((r) => r.submission.decidedBy).filter((x): x is bigint => x !== null))];
  const names = await displayNames(db, deciders);
  const data = rows.map((r) => ({
    code: r.product.code,
    product: r.product.name,
    exporter: r.business.companyName,
    nib: r.business.nib,
    province: r.business.province,
    category: r.product.category,
    hs: r.product.hsCode,
    unit: r.product.baseUnit,
    committed: r.submission.committedQuantity,
    stock: r.level?.quantity ?? null,
    age: r.level ? Math.round(((opts.now.getTime() - r.level.reportedAt.getTime()) / 86_400_000) * 10) / 10 : null,
    reportedAt: r.level?.reportedAt ?? null,
    status: r.submission.status,
    decidedBy: r.submission.decidedBy ? (names.get(r.submission.decidedBy) ?? String(r.submission.decidedBy)) : null,
    decidedAt: r.submission.decidedAt,
    reason: r.submission.reason,
    withdrawnReason: r.submission.withdrawnReason,
    published: r.published?.outcome ?? '',
    contactName: contactName(t, r),
    phone: r.business.phone,
    email: r.business.email,
    username: r.ownerUsername,
  }));
  const productIds = rows.map((r) => r.product.id);
  const since = new Date(opts.now.getTime() - 180 * 86_400_000);
  const history = await reportsOfProductsSince(db, productIds, since, 50_000);
  const codeOf = new Map(rows.map((r) => [r.product.id, r.product.code]));
  const entryOf = new Map(rows.map((r) => [r.submission.id, r]));
  const events = await entryEventsOf(db, rows.map((r) => r.submission.id));
  const eventRows = events.map((e) => {
    const r = entryOf.get(e.submissionId);
    return {
      code: r?.product.code ?? '',
      product: r?.product.name ?? '',
      at: e.at,
      kind: eventKindLabel(t, e.kind),
      actor: e.actorName,
      details: eventDetails(t, lang, e.kind, e.details, r?.product.baseUnit ?? '', { brief: false, wrap: (x) => x }).join('; '),
    };
  });
  const submissionsSheet: SheetSpec = { name: opts.labels.submissions, columns: COLUMNS, rows: data };
  const xlsx = await renderXlsx(
    [
      submissionsSheet,
      { name: opts.labels.shortlist, columns: COLUMNS, rows: data.filter((d) => d.status === 'shortlisted') },
      {
        name: opts.labels.history,
        columns: [
          { header: 'code', key: 'code', width: 12 },
          { header: 'quantity', key: 'quantity', width: 12, numFmt: '#,##0.###' },
          { header: 'reported_at', key: 'at', width: 18 },
          { header: 'source', key: 'source', width: 10 },
        ],
        rows: history.map((h) => ({ code: codeOf.get(h.productId) ?? '', quantity: h.quantity, at: h.at, source: h.source })),
      },
      { name: opts.labels.entryHistory, columns: HISTORY_COLUMNS, rows: eventRows },
    ],
    { timeZone: opts.timeZone },
  );
  const csv = renderCsv(submissionsSheet, { timeZone: opts.timeZone });
  await audit(db, officialId, 'report.export', `campaign:${campaignId}`, { contacts: true, rows: data.length });
  return ok({ title: campaign.title, xlsx, csv, rows: data.length });
}
