import { zoneOfTimeZone } from '../../../domain/provinces.js';
import type { MessageKey } from '../../../locales/index.js';
import { renderXlsx } from '../../../services/render/spreadsheet.js';
import { latestLevels, ownActiveProducts } from '../../../services/stock.js';
import type { PrivateContext } from '../../context.js';
import { privateCommand, type Route } from '../../dispatch/feature.js';
import { replyHtml } from '../../ui/reply.js';

/**
 * `/templat` (`/template`, issue 16): a workbook of the exporter's own products, ready to fill in and
 * send back. Codes, names, units and the latest levels are there to read (the sheet is protected, only
 * the "Stok baru" column open); the quantity column is empty, and empty rows are skipped when it comes
 * back, so returning it unchanged reports nothing. Its headers are the ones `domain/stock-sheet.ts` reads.
 */
export async function sendStockTemplate(ctx: PrivateContext): Promise<void> {
  const products = await ownActiveProducts(ctx.app.db, ctx.user.id);
  if (products.length === 0) {
    await replyHtml(ctx, ctx.t('stock.noProducts'));
    return;
  }
  const levels = await latestLevels(ctx.app.db, ctx.user.id);
  const tz = ctx.user.timeZone;
  const xlsx = await renderXlsx(
    [
      {
        name: ctx.t('sheet.templateSheet'),
        columns: [
          { header: ctx.t('sheet.colCode'), key: 'code', width: 12 },
          { header: ctx.t('sheet.colName'), key: 'name', width: 36 },
          { header: ctx.t('sheet.colUnit'), key: 'unit', width: 9 },
          { header: ctx.t('sheet.colLatest'), key: 'latest', width: 26 },
          { header: ctx.t('sheet.colReportedAt', { zone: zoneOfTimeZone(tz) ?? tz }), key: 'reportedAt', width: 20 },
          { header: ctx.t('sheet.colQuantity'), key: 'quantity', width: 16 },
        ],
        rows: [...products]
          .sort((a, b) => a.code.localeCompare(b.code))
          .map((p) => {
            const level = levels.get(p.id);
            return { code: p.code, name: p.name, unit: ctx.t(`units.${p.baseUnit}` as MessageKey), latest: level?.quantity ?? null, reportedAt: level?.reportedAt ?? null, quantity: null };
          }),
        editable: ['quantity'],
      },
    ],
    { timeZone: tz },
  );
  const date = new Intl.DateTimeFormat('en-CA', { timeZone: tz }).format(ctx.app.now());
  await ctx.replyWithDocument({ source: xlsx, filename: `${ctx.t('sheet.templateFilePrefix')}-${date}.xlsx` }, { caption: ctx.t('sheet.templateCaption'), parse_mode: 'HTML' });
}

export const templateCommand: Route = privateCommand(['templat', 'template'], sendStockTemplate);
