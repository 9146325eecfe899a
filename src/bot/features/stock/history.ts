import { zoneOfTimeZone } from '../../../domain/provinces.js';
import type { MessageKey } from '../../../locales/index.js';
import { dateTime, qty } from '../../../locales/format.js';
import { renderStockChart } from '../../../services/render/stock-chart.js';
import { stockHistory } from '../../../services/stock.js';
import { openCommitments } from '../../../services/submissions.js';
import type { PrivateContext } from '../../context.js';
import { privateCommand, type PrivateCommandContext } from '../../dispatch/feature.js';
import { replyHtml } from '../../ui/reply.js';

/** `/riwayat KODE`: the code, or the usage line without one. */
async function historyCommandHandler(ctx: PrivateCommandContext): Promise<void> {
  const code = ctx.message.text.split(/\s+/)[1];
  if (!code) {
    await replyHtml(ctx, ctx.t('stock.historyUsage'));
    return;
  }
  await showHistory(ctx, code);
}

/** A product's latest reports in the exporter's zone, then its chart (`/riwayat KODE`, the card's 📈). */
export async function showHistory(ctx: PrivateContext, code: string): Promise<void> {
  const r = await stockHistory(ctx.app.db, ctx.user.id, code, ctx.app.now());
  if (!r.ok) {
    await replyHtml(ctx, ctx.t('stock.refusedLine', { code: code.toUpperCase().slice(0, 20), reason: ctx.t(r.error === 'not_yours' ? 'stock.errNotYours' : 'stock.errUnknownCode') }));
    return;
  }
  const { product, recent, points } = r.value;
  const tz = ctx.user.timeZone;
  if (recent.length === 0) {
    await replyHtml(ctx, ctx.t('stock.historyEmpty', { code: product.code }));
    return;
  }
  const sourceKey = (s: string) => `stock.source${s.charAt(0).toUpperCase()}${s.slice(1)}` as MessageKey;
  const lines = [
    ctx.t('stock.historyTitle', { code: product.code, name: product.name }),
    '',
    ...recent.map((s) => ctx.t('stock.historyLine', { when: dateTime(s.reportedAt, tz, ctx.lang), qty: qty(s.quantity, product.baseUnit, ctx.lang, ctx.t), source: ctx.t(sourceKey(s.source)) })),
  ];
  await replyHtml(ctx, lines.join('\n'));
  // The exporter sees the same evidence an official does: stock against each open commitment.
  const commitments = await openCommitments(ctx.app.db, ctx.user.id, product.id, ctx.app.now());
  const png = await renderStockChart({
    title: `${product.code} · ${product.name}`,
    unit: ctx.t(`units.${product.baseUnit}` as MessageKey),
    points: points.map((p) => ({ at: p.reportedAt, quantity: p.quantity })),
    committed: null,
    commitments: commitments.map((c) => ({ label: ctx.t('stock.chartCommittedIn', { campaign: c.title.slice(0, 40) }), quantity: c.committed })),
    timeZone: tz,
    locale: ctx.lang,
    labels: { stock: ctx.t('stock.chartStock'), committed: ctx.t('stock.chartCommitted'), noData: ctx.t('stock.chartNoData') },
  });
  const caption = [ctx.t('stock.historyChartCaption', { code: product.code, zone: zoneOfTimeZone(tz) ?? tz })];
  if (commitments.length) caption.push(ctx.t('stock.historyChartCommitments', { campaigns: commitments.map((c) => `${c.title} ${qty(c.committed, product.baseUnit, ctx.lang, ctx.t)}`).join('; ') }));
  // A caption holds 1,024 characters: many long campaign titles are cut rather than refused.
  await ctx.replyWithPhoto({ source: png, filename: `${product.code}.png` }, { caption: caption.join('\n').slice(0, 1024) });
}

export const historyCommand = privateCommand(['riwayat', 'history'], historyCommandHandler);
