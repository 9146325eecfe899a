import { and, desc, gte, inArray } from 'drizzle-orm';
import { campaignById } from '../db/queries/campaigns.js';
import type { Db } from '../db/client.js';
import { submissionRows } from '../db/queries/submissions.js';
import { stockReports, users } from '../db/schema/index.js';
import { err, ok, type Result } from '../domain/result.js';
import { renderCsv, renderXlsx, type SheetSpec } from './render/spreadsheet.js';
import { audit, authorize } from './roles.js';

export interface ReportLabels {
  submissions: string;
  shortlist: string;
  history: string;
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
];

/**
 * `/laporan`: the campaign as officials open it in Excel — XLSX (submissions, shortlist, stock history)
 * and CSV (submissions, UTF-8 with BOM). Numbers stay numbers; times are shown in the official's zone.
 */
export async function campaignReport(
  db: Db,
  officialId: bigint,
  campaignId: number,
  opts: { now: Date; timeZone: string; labels: ReportLabels },
): Promise<Result<{ title: string; xlsx: Buffer; csv: Buffer; rows: number }, 'forbidden' | 'not_found'>> {
  const who = await authorize(db, officialId, 'official', 'report.export', `campaign:${campaignId}`);
  if (!who.ok) return who;
  const rows = await submissionRows(db, { campaignId, status: ['submitted', 'shortlisted', 'rejected', 'withdrawn'] });
  const campaign = await campaignById(db, campaignId);
  if (!campaign) return err('not_found');
  const deciders = [...new Set(rows.map((r) => r.submission.decidedBy).filter((x): x is bigint => x !== null))];
  const names = new Map(
    deciders.length ? (await db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, deciders))).map((u) => [u.id, u.name]) : [],
  );
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
  }));
  const productIds = rows.map((r) => r.product.id);
  const since = new Date(opts.now.getTime() - 180 * 86_400_000);
  const history = productIds.length
    ? await db
        .select({ productId: stockReports.productId, quantity: stockReports.quantity, at: stockReports.reportedAt, source: stockReports.source })
        .from(stockReports)
        .where(and(inArray(stockReports.productId, productIds), gte(stockReports.reportedAt, since)))
        .orderBy(stockReports.productId, desc(stockReports.reportedAt))
        .limit(50_000)
    : [];
  const codeOf = new Map(rows.map((r) => [r.product.id, r.product.code]));
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
    ],
    { timeZone: opts.timeZone },
  );
  const csv = renderCsv(submissionsSheet, { timeZone: opts.timeZone });
  await audit(db, officialId, 'report.export', `campaign:${campaignId}`, { rows: data.length });
  return ok({ title: campaign.title, xlsx, csv, rows: data.length });
}
