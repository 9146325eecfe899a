import { DateTime } from '../domain/luxon.js';
import { campaignById } from '../db/queries/campaigns.js';
import type { Db } from '../db/client.js';
import { entryEventsOf } from '../db/queries/entry-events.js';
import { submissionRows, type SubmissionRow } from '../db/queries/submissions.js';
import { reportsOfProductsSince } from '../db/queries/stock.js';
import { displayNames } from '../db/queries/users.js';
import type { Submission } from '../db/schema/index.js';
import type { StockSource } from '../db/schema/stock.js';
import { pickLanguage } from '../domain/language.js';
import { zoneOfTimeZone } from '../domain/provinces.js';
import type { ResultOutcome } from '../domain/results.js';
import { err, ok, type Result } from '../domain/result.js';
import { eventDetails, eventKindLabel } from '../locales/entry-history.js';
import { translator, type Lang, type MessageKey, type Translate } from '../locales/index.js';
import { reasonText } from '../locales/reasons.js';
import { quantityNumFmt, renderCsv, renderXlsx, type NumFmt, type SheetSpec } from './render/spreadsheet.js';
import { audit } from './roles.js';
import { authorizeCampaign } from './team.js';

export interface ReportLabels {
  submissions: string;
  shortlist: string;
  history: string;
  entryHistory: string;
}

/** A column of a report sheet: its header from `reportFile.*` (times carry the zone), its number format. */
interface ReportColumn { key: string; header: MessageKey; numFmt?: NumFmt }

const SUBMISSION_COLUMNS: readonly ReportColumn[] = [
  { key: 'code', header: 'reportFile.colCode' },
  { key: 'product', header: 'reportFile.colProduct' },
  { key: 'exporter', header: 'reportFile.colExporter' },
  { key: 'nib', header: 'reportFile.colNib' },
  { key: 'province', header: 'reportFile.colProvince' },
  { key: 'category', header: 'reportFile.colCategory' },
  { key: 'hs', header: 'reportFile.colHsCode' },
  { key: 'unit', header: 'reportFile.colUnit' },
  { key: 'committed', header: 'reportFile.colCommitted', numFmt: quantityNumFmt },
  { key: 'stock', header: 'reportFile.colLatestStock', numFmt: quantityNumFmt },
  { key: 'age', header: 'reportFile.colStockAgeDays', numFmt: quantityNumFmt },
  { key: 'reportedAt', header: 'reportFile.colStockReportedAt' },
  { key: 'status', header: 'reportFile.colStatus' },
  { key: 'decidedBy', header: 'reportFile.colDecidedBy' },
  { key: 'decidedAt', header: 'reportFile.colDecidedAt' },
  { key: 'reason', header: 'reportFile.colReason' },
  { key: 'withdrawnReason', header: 'reportFile.colWithdrawnReason' },
  { key: 'published', header: 'reportFile.colPublishedResult' },
  // Contacts: the report is for the campaign's team only (authorizeCampaign below).
  { key: 'contactName', header: 'reportFile.colContactName' },
  { key: 'phone', header: 'reportFile.colPhone' },
  { key: 'email', header: 'reportFile.colEmail' },
  { key: 'username', header: 'reportFile.colTelegramUsername' },
];

const STOCK_COLUMNS: readonly ReportColumn[] = [
  { key: 'code', header: 'reportFile.colCode' },
  { key: 'product', header: 'reportFile.colProduct' },
  { key: 'quantity', header: 'reportFile.colQuantity', numFmt: quantityNumFmt },
  { key: 'unit', header: 'reportFile.colUnit' },
  { key: 'at', header: 'reportFile.colReportedAt' },
  { key: 'source', header: 'reportFile.colSource' },
];

const HISTORY_COLUMNS: readonly ReportColumn[] = [
  { key: 'code', header: 'reportFile.colCode' },
  { key: 'product', header: 'reportFile.colProduct' },
  { key: 'at', header: 'reportFile.colAt' },
  { key: 'kind', header: 'reportFile.colKind' },
  { key: 'actor', header: 'reportFile.colActor' },
  { key: 'details', header: 'reportFile.colDetails' },
];

/** Records, so that a new status, source or category fails the typecheck until it has words. */
const STATUS_KEYS: Record<Submission['status'], MessageKey> = {
  submitted: 'reportFile.statusSubmitted',
  shortlisted: 'reportFile.statusShortlisted',
  rejected: 'reportFile.statusRejected',
  withdrawn: 'reportFile.statusWithdrawn',
};
const SOURCE_KEYS: Record<StockSource, MessageKey> = {
  guided: 'reportFile.sourceGuided',
  line: 'reportFile.sourceLine',
  batch: 'reportFile.sourceBatch',
  confirm: 'reportFile.sourceConfirm',
  sheet: 'reportFile.sourceSheet',
};
const OUTCOME_KEYS: Record<ResultOutcome, MessageKey> = {
  shortlisted: 'history.outcomeShortlisted',
  not_selected: 'history.outcomeNotSelected',
  withdrawn: 'history.outcomeWithdrawn',
};

/** A label without the emoji the chat puts before it ("☕ Kopi" → "Kopi"): a sheet is filtered and sorted by it. */
function plain(label: string): string {
  return label.replace(/^[\p{Extended_Pictographic}\u{FE0F}\u{200D}\s]+/u, '');
}

function columnsOf(t: Translate, columns: readonly ReportColumn[], zone: string): SheetSpec['columns'] {
  return columns.map((c) => ({ key: c.key, header: t(c.header, { zone }), ...(c.numFmt ? { numFmt: c.numFmt } : {}) }));
}

/** How the CSV is written for the official's Excel: Indonesian settings split on `;` and read `1,5`. */
export function csvDialectOf(lang: Lang): { separator: ',' | ';'; decimal: '.' | ',' } {
  return lang === 'id' ? { separator: ';', decimal: ',' } : { separator: ',', decimal: '.' };
}

/** `etalase-<campaign slug>-<YYYY-MM-DD>` with the date in the official's zone. */
export function reportFileBase(slug: string, now: Date, timeZone: string): string {
  const day = DateTime.fromJSDate(now, { zone: timeZone }).toISODate() ?? now.toISOString().slice(0, 10);
  const safe = slug.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'kampanye';
  return `etalase-${safe}-${day}`;
}

/** The contact person, or the owner's Telegram name standing in, marked so (as on the review card). */
function contactName(t: Translate, r: SubmissionRow): string {
  return r.business.contactName ?? `${r.ownerName} ${t('contact.telegramName')}`;
}

export interface CampaignReport {
  title: string;
  xlsx: Buffer;
  csv: Buffer;
  rows: number;
  /** The language the words and the CSV dialect are in. */
  lang: Lang;
  /** `etalase-<slug>-<YYYY-MM-DD>.xlsx` / `.csv`, the date in `timeZone`. */
  fileNames: { xlsx: string; csv: string };
}

/**
 * `/laporan`: the campaign as officials open it in Excel and hand it on — XLSX (submissions, shortlist,
 * stock history, each entry's history; headers and values in the official's language, quantities shown
 * `1.500` / `1.500,5`, header row frozen, an auto-filter, columns as wide as their content) and CSV
 * (submissions, UTF-8 with BOM; `;` and decimal commas for Indonesian, `,` and decimal points for
 * English). Times are shown in the official's zone. A reason picked from a list is in the official's language; a typed one as typed. It
 * carries the exporters' contacts, so only the campaign's team (or an admin) may export it, and every
 * export is audited. `lang` overrides the official's language, `labels` the sheet names (both default
 * to the official's).
 */
export async function campaignReport(
  db: Db,
  officialId: bigint,
  campaignId: number,
  opts: { now: Date; timeZone: string; labels?: ReportLabels; lang?: Lang },
): Promise<Result<CampaignReport, 'forbidden' | 'not_found'>> {
  const who = await authorizeCampaign(db, officialId, campaignId, 'report.export');
  if (!who.ok) return who;
  // The language the bot speaks to this official (the same rule as every reply).
  const lang = opts.lang ?? pickLanguage(who.value.language, who.value.telegramLanguage ?? undefined);
  const t = translator(lang);
  const labels = opts.labels ?? { submissions: t('reports.sheetSubmissions'), shortlist: t('reports.sheetShortlist'), history: t('reports.sheetHistory'), entryHistory: t('reports.sheetEntryHistory') };
  const zone = zoneOfTimeZone(opts.timeZone) ?? opts.timeZone;
  const rows = await submissionRows(db, { campaignId, status: ['submitted', 'shortlisted', 'rejected', 'withdrawn'] });
  const campaign = await campaignById(db, campaignId);
  if (!campaign) return err('not_found');
  const deciders = [...new Set(rows.map((r) => r.submission.decidedBy).filter((x): x is bigint => x !== null))];
  const names = await displayNames(db, deciders);
  const unit = (u: string): string => t(`units.${u}` as MessageKey);
  const data = rows.map((r) => ({
    code: r.product.code,
    product: r.product.name,
    exporter: r.business.companyName,
    nib: r.business.nib,
    province: r.business.province,
    category: plain(t(`categories.${r.product.category}` as MessageKey)),
    hs: r.product.hsCode,
    unit: unit(r.product.baseUnit),
    committed: r.submission.committedQuantity,
    stock: r.level?.quantity ?? null,
    age: r.level ? Math.round(((opts.now.getTime() - r.level.reportedAt.getTime()) / 86_400_000) * 10) / 10 : null,
    reportedAt: r.level?.reportedAt ?? null,
    status: t(STATUS_KEYS[r.submission.status]),
    decidedBy: r.submission.decidedBy ? (names.get(r.submission.decidedBy) ?? String(r.submission.decidedBy)) : null,
    decidedAt: r.submission.decidedAt,
    reason: reasonText(t, r.submission.reasonKey, r.submission.reason),
    withdrawnReason: reasonText(t, r.submission.withdrawnReasonKey, r.submission.withdrawnReason),
    published: r.published ? t(OUTCOME_KEYS[r.published.outcome]) : '',
    contactName: contactName(t, r),
    phone: r.business.phone,
    email: r.business.email,
    username: r.ownerUsername,
  }));
  const productIds = rows.map((r) => r.product.id);
  const since = new Date(opts.now.getTime() - 180 * 86_400_000);
  const history = await reportsOfProductsSince(db, productIds, since, 50_000);
  const productOf = new Map(rows.map((r) => [r.product.id, r.product]));
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
  const stockRows = history.map((h) => {
    const p = productOf.get(h.productId);
    return { code: p?.code ?? '', product: p?.name ?? '', quantity: h.quantity, unit: p ? unit(p.baseUnit) : '', at: h.at, source: t(SOURCE_KEYS[h.source]) };
  });
  const submissionColumns = columnsOf(t, SUBMISSION_COLUMNS, zone);
  const submissionsSheet: SheetSpec = { name: labels.submissions, columns: submissionColumns, rows: data, autoFilter: true };
  const xlsx = await renderXlsx(
    [
      submissionsSheet,
      { name: labels.shortlist, columns: submissionColumns, rows: data.filter((_, i) => rows[i]!.submission.status === 'shortlisted'), autoFilter: true },
      { name: labels.history, columns: columnsOf(t, STOCK_COLUMNS, zone), rows: stockRows, autoFilter: true },
      { name: labels.entryHistory, columns: columnsOf(t, HISTORY_COLUMNS, zone), rows: eventRows, autoFilter: true },
    ],
    { timeZone: opts.timeZone },
  );
  const csv = renderCsv(submissionsSheet, { timeZone: opts.timeZone, ...csvDialectOf(lang) });
  const base = reportFileBase(campaign.slug, opts.now, opts.timeZone);
  await audit(db, officialId, 'report.export', `campaign:${campaignId}`, { contacts: true, rows: data.length });
  return ok({ title: campaign.title, xlsx, csv, rows: data.length, lang, fileNames: { xlsx: `${base}.xlsx`, csv: `${base}.csv` } });
}
