import { REJECT_REASON_KEYS, type Reason, type RejectReasonKey } from '../../../domain/reasons.js';
import { listedReason, REASON_MESSAGES } from '../../../locales/reasons.js';
import type { InlineKeyboardButton } from 'telegraf/types';
import type { MessageKey } from '../../../locales/index.js';
import { qty } from '../../../locales/format.js';
import { myCampaigns } from '../../../services/campaigns.js';
import { renderStockChart } from '../../../services/render/stock-chart.js';
import { campaignReport } from '../../../services/reports.js';
import { zoneOfTimeZone } from '../../../domain/provinces.js';
import { campaignItems, decide, recentHistory, reviewItem, reviewPage, type DecisionAction, type ReviewItem } from '../../../services/review.js';
import { stockPointsFor } from '../../../services/stock.js';
import type { BotContext, PrivateContext } from '../../context.js';
import { privateButton, privateCommand, type Route } from '../../dispatch/feature.js';
import { flows } from '../../flow-engine/index.js';
import { answerCallback, editOrReply, replyHtml } from '../../ui/reply.js';
import { phaseText } from '../campaigns/campaign-text.js';
import { contactBlock } from './contact-text.js';
import { alertSwap, publishPick, reportDownload, reviewCard, reviewList, reviewNotReadyCancel, reviewReject, reviewRejectPreset, reviewRejectTyped, reviewShortlist, reviewShortlistNotReady, reviewUndo } from './callbacks.js';
import { refuse } from '../officials/guard.js';
import { historyLine } from './history-text.js';
import { decisionText, hasPendingChange, itemVars, listMark, publishedText, whyNotReady } from './review-text.js';
import { rejectReasonFlow } from './reject-reason-flow.js';
import { setMenuButton, tableButton } from '../officials/web-app.js';

const PAGE = 8;
const HISTORY_ON_CARD = 5;
/** The rejection reasons on the buttons; `rv:rr` carries the index, so the order never changes. */
const REASONS: readonly RejectReasonKey[] = REJECT_REASON_KEYS;

async function pickCampaign(ctx: PrivateContext, action: 'l' | 'p' | 'rep'): Promise<void> {
  const r = await myCampaigns(ctx.app.db, ctx.user.id);
  if (!r.ok) return refuse(ctx, 'official');
  if (r.value.length === 0) return void (await replyHtml(ctx, ctx.t('review.noCampaigns')));
  const key: MessageKey = action === 'rep' ? 'reports.pickCampaign' : 'review.pickCampaign';
  const data = (campaign: number) => (action === 'l' ? reviewList.pack({ campaign, page: 0 }) : action === 'p' ? publishPick.pack({ campaign }) : reportDownload.pack({ campaign }));
  await replyHtml(ctx, ctx.t(key), { inline_keyboard: r.value.slice(0, 30).map((c) => [{ text: c.title.slice(0, 60), callback_data: data(c.id) }]) });
}

async function showList(ctx: PrivateContext, campaignId: number, page: number, edit: boolean): Promise<void> {
  const now = ctx.app.now();
  const r = await reviewPage(ctx.app.db, ctx.user.id, campaignId, { page, pageSize: PAGE, now });
  if (!r.ok) return r.error === 'forbidden' ? refuse(ctx, 'official') : void (await replyHtml(ctx, ctx.t('campaigns.notFound')));
  const { campaign, items: visible, total, shortlisted, page: p, pages } = r.value;
  const lines = [ctx.t('review.title', { campaign: campaign.title, phase: phaseText(ctx.t, campaign, now), shortlisted, max: campaign.maxShortlist, count: total }), ''];
  if (total === 0) lines.push(ctx.t('review.empty'));
  for (const i of visible) {
    lines.push(
      ctx.t('review.line', {
        mark: listMark(i),
        ...itemVars(ctx, i),
        status: `${i.submission.status === 'shortlisted' ? ctx.t('review.statusShortlisted') : i.submission.status === 'rejected' ? ctx.t('review.statusRejected') : ''}${hasPendingChange(i) ? ctx.t('review.pendingChange') : ''}`,
      }),
    );
  }
  const rows: InlineKeyboardButton[][] = visible.map((i) => [{ text: `${listMark(i)} ${i.product.code}`, callback_data: reviewCard.pack({ id: i.submission.id }) }]);
  if (pages > 1) {
    const nav: InlineKeyboardButton[] = [];
    if (p > 0) nav.push({ text: ctx.t('flows.prevPage'), callback_data: reviewList.pack({ campaign: campaignId, page: p - 1 }) });
    nav.push({ text: `${p + 1}/${pages}`, callback_data: reviewList.pack({ campaign: campaignId, page: p }) });
    if (p < pages - 1) nav.push({ text: ctx.t('flows.nextPage'), callback_data: reviewList.pack({ campaign: campaignId, page: p + 1 }) });
    rows.push(nav);
  }
  const table = tableButton(ctx.app.config, ctx.t, campaignId);
  if (table.length) rows.push(table);
  if (edit) await editOrReply(ctx, lines.join('\n'), { inline_keyboard: rows });
  else await replyHtml(ctx, lines.join('\n'), { inline_keyboard: rows });
}

/** The card's buttons: each decision names the entry's version it was shown at. */
function cardButtons(ctx: BotContext, i: ReviewItem): InlineKeyboardButton[][] {
  const { id, version: v, status } = i.submission;
  const rows: InlineKeyboardButton[][] =
    status === 'submitted'
      ? [[{ text: ctx.t('review.shortlist'), callback_data: reviewShortlist.pack({ id, v }) }, { text: ctx.t('review.reject'), callback_data: reviewReject.pack({ id, v }) }]]
      : status === 'withdrawn'
        ? []
        : [[{ text: ctx.t('review.undo'), callback_data: reviewUndo.pack({ id, v }) }]];
  if (status === 'shortlisted') rows.push([{ text: ctx.t('review.swapButton'), callback_data: alertSwap.pack({ id, v }) }]);
  rows.push([{ text: ctx.t('review.backToList'), callback_data: reviewList.pack({ campaign: i.campaign.id, page: 0 }) }]);
  return rows;
}

async function cardText(ctx: PrivateContext, i: ReviewItem): Promise<string> {
  const history = await recentHistory(ctx.app.db, i.submission.id, HISTORY_ON_CARD);
  const parts = [
    ctx.t('review.card', {
      mark: i.readiness.ready ? ctx.t('review.ready') : ctx.t('review.notReady', { why: whyNotReady(ctx, i) }),
      ...itemVars(ctx, i),
      capacity: qty(i.product.monthlyCapacity, i.product.baseUnit, ctx.lang, ctx.t),
      certs: i.product.certifications.length ? i.product.certifications.map((c) => ctx.t(`certifications.${c}` as MessageKey)).join(', ') : ctx.t('certifications.none'),
      status: decisionText(ctx, i),
      published: publishedText(ctx, i),
    }),
    contactBlock(ctx.t, i),
  ];
  if (history.length) parts.push([ctx.t('review.historyTitle'), ...history.map((e) => historyLine(ctx.t, ctx.lang, ctx.user.timeZone, e, i.product.baseUnit))].join('\n'));
  return parts.join('\n\n');
}

async function showCard(ctx: PrivateContext, submissionId: number): Promise<void> {
  const r = await reviewItem(ctx.app.db, ctx.user.id, submissionId, ctx.app.now());
  if (!r.ok) return r.error === 'forbidden' ? refuse(ctx, 'official') : void (await replyHtml(ctx, ctx.t('campaigns.notFound')));
  const i = r.value;
  const unit = ctx.t(`units.${i.product.baseUnit}` as MessageKey);
  const points = await stockPointsFor(ctx.app.db, i.product.id, ctx.app.now());
  const png = await renderStockChart({
    title: `${i.product.code} · ${i.product.name}`,
    unit,
    points: points.map((p) => ({ at: p.reportedAt, quantity: p.quantity })),
    committed: i.submission.committedQuantity,
    timeZone: ctx.user.timeZone,
    locale: ctx.lang,
    labels: { stock: ctx.t('stock.chartStock'), committed: ctx.t('stock.chartCommitted'), noData: ctx.t('stock.chartNoData') },
  });
  // Two photos, each with a caption saying what it is (an album could carry no buttons, nor one caption each in view).
  if (i.product.photoFileId) {
    await ctx.replyWithPhoto(i.product.photoFileId, { caption: ctx.t('review.photoCaption', { code: i.product.code, name: i.product.name }).slice(0, 1024) }).catch((err: unknown) => { ctx.log.warn({ err }, 'product photo could not be sent with the review card'); });
  }
  const zone = zoneOfTimeZone(ctx.user.timeZone) ?? ctx.user.timeZone;
  await ctx.replyWithPhoto(
    { source: png, filename: `${i.product.code}.png` },
    { caption: ctx.t('review.chartCaption', { code: i.product.code, zone, committed: qty(i.submission.committedQuantity, i.product.baseUnit, ctx.lang, ctx.t) }) },
  );
  await replyHtml(ctx, await cardText(ctx, i), { inline_keyboard: cardButtons(ctx, i) });
}

/** After a decision: back to the list, or on to the readiest entry still undecided. */
async function afterDecision(ctx: BotContext, campaignId: number, decidedId: number, html: string): Promise<void> {
  const items = await campaignItems(ctx.app.db, campaignId, ctx.app.now());
  const next = items.find((i) => i.submission.status === 'submitted' && i.submission.id !== decidedId);
  const buttons: InlineKeyboardButton[] = [{ text: ctx.t('review.backToList'), callback_data: reviewList.pack({ campaign: campaignId, page: 0 }) }];
  if (next) buttons.push({ text: ctx.t('review.nextUndecided', { code: next.product.code }), callback_data: reviewCard.pack({ id: next.submission.id }) });
  const published = items.find((i) => i.submission.id === decidedId)?.campaign.resultsPublishedAt;
  await replyHtml(ctx, published ? `${html}\n${ctx.t('review.unpublishedNote')}` : html, { inline_keyboard: [buttons] });
}

/** A decision refused because the card was older than the entry: say so, show the current card. */
async function staleCard(ctx: PrivateContext, submissionId: number): Promise<void> {
  await answerCallback(ctx, ctx.t('review.staleAnswer'));
  const item = await reviewItem(ctx.app.db, ctx.user.id, submissionId, ctx.app.now());
  if (!item.ok) return;
  await replyHtml(ctx, ctx.t('review.stale', { code: item.value.product.code, status: decisionText(ctx, item.value) }));
  await showCard(ctx, submissionId);
}

/** Runs a decision; every refusal answers the button with its reason. Returns the outcome when it was taken. */
async function decideFromButton(ctx: PrivateContext, id: number, action: DecisionAction, opts: { version?: number; reason?: Reason; confirmNotReady?: boolean }) {
  const r = await decide(ctx.app.db, ctx.user.id, id, action, { now: ctx.app.now(), ...opts });
  if (r.ok) return r.value;
  if (r.error === 'forbidden') await refuse(ctx, 'official');
  else if (r.error === 'stale') await staleCard(ctx, id);
  else if (r.error === 'max_reached') await answerCallback(ctx, ctx.t('review.maxReached', { n: r.shortlisted ?? 0, max: r.max ?? 0 }), true);
  else if (r.error === 'withdrawn') await answerCallback(ctx, ctx.t('review.withdrawnAlready'), true);
  else if (r.error === 'needs_confirmation') {
    await answerCallback(ctx);
    const item = await reviewItem(ctx.app.db, ctx.user.id, id, ctx.app.now());
    const code = item.ok ? item.value.product.code : '';
    const v = item.ok ? item.value.submission.version : opts.version;
    await replyHtml(ctx, ctx.t('review.notReadyConfirm', { code, why: item.ok ? whyNotReady(ctx, item.value) : '' }), {
      inline_keyboard: [
        [
          { text: ctx.t('review.confirmNotReady'), callback_data: reviewShortlistNotReady.pack({ id, v }) },
          { text: ctx.t('review.cancel'), callback_data: reviewNotReadyCancel.pack({ id }) },
        ],
      ],
    });
  } else await answerCallback(ctx, ctx.t('campaigns.notFound'), true);
  return undefined;
}

async function shortlist(ctx: PrivateContext, id: number, version: number | undefined, confirmNotReady: boolean): Promise<void> {
  const r = await decideFromButton(ctx, id, 'shortlist', { ...(version !== undefined ? { version } : {}), confirmNotReady });
  if (!r) return;
  await answerCallback(ctx);
  await afterDecision(ctx, r.submission.campaignId, id, ctx.t('review.shortlisted', { code: r.code, n: r.shortlisted, max: r.max }));
}

export const reviewRoutes: readonly Route[] = [
  privateCommand(['tinjau', 'review'], async (ctx) => {
    await pickCampaign(ctx, 'l');
    // Officials from before the app was turned on get its menu button when they review (the call is
    // idempotent, and officials are few; no session field, so stored sessions keep their shape).
    if (ctx.user.role !== 'exporter') await setMenuButton(ctx.telegram, ctx.app.config, ctx.log, ctx.user);
  }),
  privateCommand(['umumkan', 'publish'], (ctx) => pickCampaign(ctx, 'p')),
  privateCommand(['laporan', 'report'], (ctx) => pickCampaign(ctx, 'rep')),
  privateButton(reviewList, async (ctx, { campaign, page }) => {
    await answerCallback(ctx);
    await showList(ctx, campaign, page, page !== 0);
  }),
  privateButton(reviewCard, async (ctx, { id }) => {
    await answerCallback(ctx);
    await showCard(ctx, id);
  }),
  // Buttons sent before decisions carried a version (`rv:s:<id>`) still work, unchecked.
  privateButton(reviewShortlist, (ctx, { id, v }) => shortlist(ctx, id, v, false)),
  privateButton(reviewShortlistNotReady, (ctx, { id, v }) => shortlist(ctx, id, v, true)),
  privateButton(reviewNotReadyCancel, async (ctx, { id }) => {
    const item = await reviewItem(ctx.app.db, ctx.user.id, id, ctx.app.now());
    if (!item.ok) return item.error === 'forbidden' ? refuse(ctx, 'official') : answerCallback(ctx, ctx.t('campaigns.notFound'), true);
    await answerCallback(ctx);
    await editOrReply(ctx, ctx.t('review.notReadyCancelled', { code: item.value.product.code }), {
      inline_keyboard: [[{ text: ctx.t('review.backToList'), callback_data: reviewList.pack({ campaign: item.value.campaign.id, page: 0 }) }]],
    });
  }),
  privateButton(reviewReject, async (ctx, { id, v }) => {
    const item = await reviewItem(ctx.app.db, ctx.user.id, id, ctx.app.now());
    if (!item.ok) return item.error === 'forbidden' ? refuse(ctx, 'official') : answerCallback(ctx, ctx.t('campaigns.notFound'), true);
    if (v !== undefined && v !== item.value.submission.version) return staleCard(ctx, id);
    await answerCallback(ctx);
    // The reason buttons carry the version the card was shown at, or none when the card had none.
    await replyHtml(ctx, ctx.t('review.pickReason', { code: item.value.product.code }), {
      inline_keyboard: [
        ...REASONS.map((k, reason) => [{ text: ctx.t(REASON_MESSAGES[k]), callback_data: reviewRejectPreset.pack({ id, reason, v }) }]),
        [{ text: ctx.t('review.reasonOther'), callback_data: reviewRejectTyped.pack({ id, v }) }],
      ],
    });
  }),
  privateButton(reviewRejectPreset, async (ctx, { id, reason: n, v: version }) => {
    const key = REASONS[n];
    if (!key) return answerCallback(ctx);
    const reason = listedReason(ctx.t, key);
    const r = await decideFromButton(ctx, id, 'reject', { reason, ...(version !== undefined ? { version } : {}) });
    if (!r) return;
    await answerCallback(ctx);
    await afterDecision(ctx, r.submission.campaignId, id, ctx.t('review.rejected', { code: r.code, reason: reason.text }));
  }),
  privateButton(reviewRejectTyped, async (ctx, { id, v: version }) => {
    const item = await reviewItem(ctx.app.db, ctx.user.id, id, ctx.app.now());
    if (!item.ok) return item.error === 'forbidden' ? refuse(ctx, 'official') : answerCallback(ctx, ctx.t('campaigns.notFound'), true);
    await answerCallback(ctx);
    await flows.start(ctx, rejectReasonFlow, { target: String(id), draft: { $code: item.value.product.code, ...(version !== undefined ? { $version: version } : {}) } });
  }),
  privateButton(reviewUndo, async (ctx, { id, v: version }) => {
    const r = await decideFromButton(ctx, id, 'undo', version !== undefined ? { version } : {});
    if (!r) return;
    await answerCallback(ctx);
    await afterDecision(ctx, r.submission.campaignId, id, ctx.t('review.undoneNamed', { code: r.code }));
  }),
  privateButton(reportDownload, async (ctx, { campaign }) => {
    const tz = ctx.user.timeZone;
    const r = await campaignReport(ctx.app.db, ctx.user.id, campaign, {
      now: ctx.app.now(),
      timeZone: tz,
      lang: ctx.lang,
      labels: { submissions: ctx.t('reports.sheetSubmissions'), shortlist: ctx.t('reports.sheetShortlist'), history: ctx.t('reports.sheetHistory'), entryHistory: ctx.t('reports.sheetEntryHistory') },
    });
    if (!r.ok) return r.error === 'forbidden' ? refuse(ctx, 'official') : answerCallback(ctx, ctx.t('campaigns.notFound'), true);
    await answerCallback(ctx);
    const zone = zoneOfTimeZone(tz) ?? tz;
    await ctx.replyWithDocument({ source: r.value.xlsx, filename: r.value.fileNames.xlsx }, { caption: ctx.t('reports.caption', { campaign: r.value.title, kind: 'XLSX', zone }) });
    await ctx.replyWithDocument({ source: r.value.csv, filename: r.value.fileNames.csv }, { caption: ctx.t('reports.caption', { campaign: r.value.title, kind: 'CSV', zone }) });
  }),
];
