import { Composer } from '../composer.js';
import type { InlineKeyboardButton } from 'telegraf/types';
import type { MessageKey } from '../../locales/index.js';
import { qty, age } from '../../locales/format.js';
import { acceptRisk, askStockConfirmation, swapInNext } from '../../services/availability.js';
import { myCampaigns } from '../../services/campaigns.js';
import { renderStockChart } from '../../services/render/stock-chart.js';
import { campaignReport } from '../../services/reports.js';
import { zoneOfTimeZone } from '../../domain/provinces.js';
import { decide, publishResults, reviewItem, reviewList, reviewPage, type ReviewItem } from '../../services/review.js';
import { stockPointsFor } from '../../services/stock.js';
import type { BotContext } from '../context.js';
import { privateSection } from '../middleware/private-section.js';
import { flows } from '../flows/index.js';
import { answerCallback, editOrReply, replyHtml } from '../ui/reply.js';
import { refuse } from './guard.js';

export const review = new Composer<BotContext>();
const privateOnly = privateSection(review);
const PAGE = 8;
const REASONS: MessageKey[] = ['review.reasonStock', 'review.reasonQuality', 'review.reasonCertification', 'review.reasonQuota'];

async function pickCampaign(ctx: BotContext, action: 'l' | 'p' | 'rep'): Promise<void> {
  const r = await myCampaigns(ctx.app.db, ctx.user!.id);
  if (!r.ok) return refuse(ctx, 'official');
  if (r.value.length === 0) return void (await replyHtml(ctx, ctx.t('review.noCampaigns')));
  const key: MessageKey = action === 'rep' ? 'reports.pickCampaign' : 'review.pickCampaign';
  const data = (id: number) => (action === 'l' ? `rv:l:${id}:0` : action === 'p' ? `rv:p:${id}` : `rp:${id}`);
  await replyHtml(ctx, ctx.t(key), { inline_keyboard: r.value.slice(0, 30).map((c) => [{ text: c.title.slice(0, 60), callback_data: data(c.id) }]) });
}

privateOnly.command(['tinjau', 'review'], (ctx) => pickCampaign(ctx, 'l'));
privateOnly.command(['umumkan', 'publish'], (ctx) => pickCampaign(ctx, 'p'));
privateOnly.command(['laporan', 'report'], (ctx) => pickCampaign(ctx, 'rep'));

function why(ctx: BotContext, i: ReviewItem): string {
  const parts: string[] = [];
  if (!i.readiness.stockCovers) parts.push(ctx.t('review.whyStock'));
  if (!i.readiness.fresh) parts.push(ctx.t('review.whyStale'));
  if (!i.readiness.capacityCovers) parts.push(ctx.t('review.whyCapacity'));
  return parts.join(', ');
}

function levelText(ctx: BotContext, i: ReviewItem): string {
  return i.level ? `${qty(i.level.quantity, i.product.baseUnit, ctx.lang, ctx.t)} (${age(i.level.reportedAt, ctx.app.now(), ctx.lang, ctx.t)})` : ctx.t('review.noLevel');
}

/** What the list line and the card both show of an entry. */
function itemVars(ctx: BotContext, i: ReviewItem) {
  return {
    code: i.product.code,
    name: i.product.name,
    exporter: i.business.companyName,
    province: i.business.province,
    committed: qty(i.submission.committedQuantity, i.product.baseUnit, ctx.lang, ctx.t),
    level: levelText(ctx, i),
  };
}

async function showList(ctx: BotContext, campaignId: number, page: number, edit: boolean): Promise<void> {
  const r = await reviewPage(ctx.app.db, ctx.user!.id, campaignId, { page, pageSize: PAGE, now: ctx.app.now() });
  if (!r.ok) return r.error === 'forbidden' ? refuse(ctx, 'official') : void (await replyHtml(ctx, ctx.t('campaigns.notFound')));
  const { campaign, items: visible, total, shortlisted, page: p, pages } = r.value;
  const lines = [ctx.t('review.title', { campaign: campaign.title, shortlisted, max: campaign.maxShortlist, count: total }), ''];
  if (total === 0) lines.push(ctx.t('review.empty'));
  for (const i of visible) {
    lines.push(
      ctx.t('review.line', {
        mark: i.readiness.ready ? '✅' : '⚠️',
        ...itemVars(ctx, i),
        status: i.submission.status === 'shortlisted' ? ctx.t('review.statusShortlisted') : i.submission.status === 'rejected' ? ctx.t('review.statusRejected') : '',
      }),
    );
  }
  const rows: InlineKeyboardButton[][] = visible.map((i) => [{ text: `${i.readiness.ready ? '✅' : '⚠️'} ${i.product.code}`, callback_data: `rv:o:${i.submission.id}` }]);
  if (pages > 1) {
    const nav: InlineKeyboardButton[] = [];
    if (p > 0) nav.push({ text: ctx.t('flows.prevPage'), callback_data: `rv:l:${campaignId}:${p - 1}` });
    nav.push({ text: `${p + 1}/${pages}`, callback_data: `rv:l:${campaignId}:${p}` });
    if (p < pages - 1) nav.push({ text: ctx.t('flows.nextPage'), callback_data: `rv:l:${campaignId}:${p + 1}` });
    rows.push(nav);
  }
  if (edit) await editOrReply(ctx, lines.join('\n'), { inline_keyboard: rows });
  else await replyHtml(ctx, lines.join('\n'), { inline_keyboard: rows });
}

privateOnly.action(/^rv:l:(\d{1,9}):(\d{1,9})$/, async (ctx) => {
  await answerCallback(ctx);
  await showList(ctx, Number(ctx.match[1]), Number(ctx.match[2]), ctx.match[2] !== '0');
});

async function showCard(ctx: BotContext, submissionId: number): Promise<void> {
  const r = await reviewItem(ctx.app.db, ctx.user!.id, submissionId, ctx.app.now());
  if (!r.ok) return r.error === 'forbidden' ? refuse(ctx, 'official') : void (await replyHtml(ctx, ctx.t('campaigns.notFound')));
  const i = r.value;
  const unit = ctx.t(`units.${i.product.baseUnit}` as MessageKey);
  const points = await stockPointsFor(ctx.app.db, i.product.id, ctx.app.now());
  const png = await renderStockChart({
    title: `${i.product.code} · ${i.product.name}`,
    unit,
    points: points.map((p) => ({ at: p.reportedAt, quantity: p.quantity })),
    committed: i.submission.committedQuantity,
    timeZone: ctx.user!.timeZone,
    locale: ctx.lang,
    labels: { stock: ctx.t('stock.chartStock'), committed: ctx.t('stock.chartCommitted'), noData: ctx.t('stock.chartNoData') },
  });
  if (i.product.photoFileId) await ctx.replyWithPhoto(i.product.photoFileId).catch(() => undefined);
  await ctx.replyWithPhoto({ source: png, filename: `${i.product.code}.png` });
  const text = ctx.t('review.card', {
    mark: i.readiness.ready ? ctx.t('review.ready') : ctx.t('review.notReady', { why: why(ctx, i) }),
    ...itemVars(ctx, i),
    capacity: qty(i.product.monthlyCapacity, i.product.baseUnit, ctx.lang, ctx.t),
    certs: i.product.certifications.length ? i.product.certifications.map((c) => ctx.t(`certifications.${c}` as MessageKey)).join(', ') : ctx.t('certifications.none'),
    status: i.submission.status === 'shortlisted' ? ctx.t('review.statusShortlisted').replace(' · ', '') : i.submission.status === 'rejected' ? ctx.t('review.statusRejected').replace(' · ', '') : '—',
  });
  const buttons: InlineKeyboardButton[][] =
    i.submission.status === 'submitted'
      ? [[{ text: ctx.t('review.shortlist'), callback_data: `rv:s:${i.submission.id}` }, { text: ctx.t('review.reject'), callback_data: `rv:r:${i.submission.id}` }]]
      : i.submission.status === 'withdrawn'
        ? []
        : [[{ text: ctx.t('review.undo'), callback_data: `rv:u:${i.submission.id}` }]];
  buttons.push([{ text: ctx.t('review.backToList'), callback_data: `rv:l:${i.campaign.id}:0` }]);
  await replyHtml(ctx, text, { inline_keyboard: buttons });
}

privateOnly.action(/^rv:o:(\d{1,9})$/, async (ctx) => {
  await answerCallback(ctx);
  await showCard(ctx, Number(ctx.match[1]));
});

async function shortlist(ctx: BotContext, id: number, confirmNotReady: boolean): Promise<void> {
  const r = await decide(ctx.app.db, ctx.user!.id, id, 'shortlist', { now: ctx.app.now(), confirmNotReady });
  if (!r.ok) {
    if (r.error === 'forbidden') return refuse(ctx, 'official');
    if (r.error === 'max_reached') return answerCallback(ctx, ctx.t('review.maxReached', { n: r.shortlisted ?? 0, max: r.max ?? 0 }), true);
    if (r.error === 'withdrawn') return answerCallback(ctx, ctx.t('review.withdrawnAlready'), true);
    if (r.error === 'needs_confirmation') {
      await answerCallback(ctx);
      const item = await reviewItem(ctx.app.db, ctx.user!.id, id, ctx.app.now());
      const code = item.ok ? item.value.product.code : '';
      await replyHtml(ctx, ctx.t('review.notReadyConfirm', { code, why: item.ok ? why(ctx, item.value) : '' }), {
        inline_keyboard: [[{ text: ctx.t('review.confirmNotReady'), callback_data: `rv:s2:${id}` }]],
      });
      return;
    }
    return answerCallback(ctx, ctx.t('campaigns.notFound'), true);
  }
  await answerCallback(ctx);
  const item = await reviewItem(ctx.app.db, ctx.user!.id, id, ctx.app.now());
  await replyHtml(ctx, ctx.t('review.shortlisted', { code: item.ok ? item.value.product.code : '', n: r.value.shortlisted, max: r.value.max }));
}

privateOnly.action(/^rv:s:(\d{1,9})$/, (ctx) => shortlist(ctx, Number(ctx.match[1]), false));
privateOnly.action(/^rv:s2:(\d{1,9})$/, (ctx) => shortlist(ctx, Number(ctx.match[1]), true));

privateOnly.action(/^rv:r:(\d{1,9})$/, async (ctx) => {
  const id = Number(ctx.match[1]);
  const item = await reviewItem(ctx.app.db, ctx.user!.id, id, ctx.app.now());
  if (!item.ok) return item.error === 'forbidden' ? refuse(ctx, 'official') : answerCallback(ctx, ctx.t('campaigns.notFound'), true);
  await answerCallback(ctx);
  await replyHtml(ctx, ctx.t('review.pickReason', { code: item.value.product.code }), {
    inline_keyboard: [...REASONS.map((k, n) => [{ text: ctx.t(k), callback_data: `rv:rr:${id}:${n}` }]), [{ text: ctx.t('review.reasonOther'), callback_data: `rv:ro:${id}` }]],
  });
});

privateOnly.action(/^rv:rr:(\d{1,9}):(\d)$/, async (ctx) => {
  const id = Number(ctx.match[1]);
  const key = REASONS[Number(ctx.match[2])];
  if (!key) return answerCallback(ctx);
  const reason = ctx.t(key);
  const r = await decide(ctx.app.db, ctx.user!.id, id, 'reject', { now: ctx.app.now(), reason });
  if (!r.ok) return r.error === 'forbidden' ? refuse(ctx, 'official') : answerCallback(ctx, ctx.t('campaigns.notFound'), true);
  await answerCallback(ctx);
  const item = await reviewItem(ctx.app.db, ctx.user!.id, id, ctx.app.now());
  await replyHtml(ctx, ctx.t('review.rejected', { code: item.ok ? item.value.product.code : '', reason }));
});

privateOnly.action(/^rv:ro:(\d{1,9})$/, async (ctx) => {
  const id = Number(ctx.match[1]);
  const item = await reviewItem(ctx.app.db, ctx.user!.id, id, ctx.app.now());
  if (!item.ok) return item.error === 'forbidden' ? refuse(ctx, 'official') : answerCallback(ctx, ctx.t('campaigns.notFound'), true);
  await answerCallback(ctx);
  await flows.start(ctx, 'rejectReason', { target: String(id), draft: { $code: item.value.product.code } });
});

privateOnly.action(/^rv:u:(\d{1,9})$/, async (ctx) => {
  const id = Number(ctx.match[1]);
  const r = await decide(ctx.app.db, ctx.user!.id, id, 'undo', { now: ctx.app.now() });
  if (!r.ok) return r.error === 'forbidden' ? refuse(ctx, 'official') : answerCallback(ctx, ctx.t('campaigns.notFound'), true);
  await answerCallback(ctx);
  const item = await reviewItem(ctx.app.db, ctx.user!.id, id, ctx.app.now());
  await replyHtml(ctx, ctx.t('review.undone', { code: item.ok ? item.value.product.code : '' }));
});

privateOnly.action(/^rv:p:(\d{1,9})$/, async (ctx) => {
  const r = await reviewList(ctx.app.db, ctx.user!.id, Number(ctx.match[1]), ctx.app.now());
  if (!r.ok) return r.error === 'forbidden' ? refuse(ctx, 'official') : answerCallback(ctx, ctx.t('campaigns.notFound'), true);
  await answerCallback(ctx);
  const shortlisted = r.value.items.filter((i) => i.submission.status === 'shortlisted').length;
  await replyHtml(ctx, ctx.t('review.publishConfirm', { campaign: r.value.campaign.title, shortlisted, others: r.value.items.length - shortlisted }), {
    inline_keyboard: [[{ text: ctx.t('review.publishYes'), callback_data: `rv:pp:${r.value.campaign.id}` }]],
  });
});

privateOnly.action(/^rv:pp:(\d{1,9})$/, async (ctx) => {
  const id = Number(ctx.match[1]);
  const r = await publishResults(ctx.app.db, ctx.user!.id, id, ctx.app.now());
  if (!r.ok) {
    if (r.error === 'forbidden') return refuse(ctx, 'official');
    return answerCallback(ctx, ctx.t(r.error === 'already_published' ? 'review.alreadyPublished' : 'campaigns.notFound'), true);
  }
  await answerCallback(ctx);
  await ctx.app.outbox.enqueue(r.value.deliveryIds);
  const list = await reviewList(ctx.app.db, ctx.user!.id, id, ctx.app.now());
  await replyHtml(ctx, ctx.t('review.published', { campaign: list.ok ? list.value.campaign.title : '', n: r.value.deliveryIds.length }));
});

privateOnly.action(/^av:ask:(\d{1,9})$/, async (ctx) => {
  const r = await askStockConfirmation(ctx.app.db, ctx.user!.id, Number(ctx.match[1]), ctx.app.now());
  if (!r.ok) return r.error === 'forbidden' ? refuse(ctx, 'official') : answerCallback(ctx, ctx.t('campaigns.notFound'), true);
  await ctx.app.outbox.enqueue(r.value);
  await answerCallback(ctx, ctx.t('alerts.asked'));
});

privateOnly.action(/^av:sw:(\d{1,9})$/, async (ctx) => {
  const r = await swapInNext(ctx.app.db, ctx.user!.id, Number(ctx.match[1]), ctx.t('review.reasonStock'), ctx.app.now());
  if (!r.ok) return r.error === 'forbidden' ? refuse(ctx, 'official') : answerCallback(ctx, ctx.t('campaigns.notFound'), true);
  await answerCallback(ctx);
  await replyHtml(ctx, ctx.t('alerts.swapped', { next: ctx.t(r.value.in ? 'alerts.swappedIn' : 'alerts.swappedNone') }));
});

privateOnly.action(/^av:ar:(\d{1,9})$/, async (ctx) => {
  const r = await acceptRisk(ctx.app.db, ctx.user!.id, Number(ctx.match[1]));
  if (!r.ok) return r.error === 'forbidden' ? refuse(ctx, 'official') : answerCallback(ctx, ctx.t('campaigns.notFound'), true);
  await answerCallback(ctx);
  await replyHtml(ctx, ctx.t('alerts.accepted'));
});

privateOnly.action(/^rp:(\d{1,9})$/, async (ctx) => {
  const tz = ctx.user!.timeZone;
  const r = await campaignReport(ctx.app.db, ctx.user!.id, Number(ctx.match[1]), {
    now: ctx.app.now(),
    timeZone: tz,
    labels: { submissions: ctx.t('reports.sheetSubmissions'), shortlist: ctx.t('reports.sheetShortlist'), history: ctx.t('reports.sheetHistory') },
  });
  if (!r.ok) return r.error === 'forbidden' ? refuse(ctx, 'official') : answerCallback(ctx, ctx.t('campaigns.notFound'), true);
  await answerCallback(ctx);
  const base = `etalase-${ctx.match[1]}`;
  const zone = zoneOfTimeZone(tz) ?? tz;
  await ctx.replyWithDocument({ source: r.value.xlsx, filename: `${base}.xlsx` }, { caption: ctx.t('reports.caption', { campaign: r.value.title, kind: 'XLSX', zone }) });
  await ctx.replyWithDocument({ source: r.value.csv, filename: `${base}.csv` }, { caption: ctx.t('reports.caption', { campaign: r.value.title, kind: 'CSV', zone }) });
});
