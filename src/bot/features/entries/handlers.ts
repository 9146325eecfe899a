import { listedReason, reasonText, REASON_MESSAGES } from '../../../locales/reasons.js';
import type { InlineKeyboardButton } from 'telegraf/types';
import { formatDeadline } from '../../../domain/deadline.js';
import { publicState } from '../../../domain/results.js';
import { qty } from '../../../locales/format.js';
import { confirmStock } from '../../../services/availability.js';
import { findCampaign, openCampaigns } from '../../../services/campaigns.js';
import { latestLevels } from '../../../services/stock.js';
import { eligibleProducts, myEntry, myStatus, publishedShortlisted, type SubmissionRow } from '../../../services/submissions.js';
import { checkProduct } from '../../../services/public-check.js';
import type { BotContext, PrivateContext } from '../../context.js';
import { checkCardLines, checkMessages } from './check-card.js';
import { anyChatCommand, privateButton, privateCommand, type Route } from '../../dispatch/feature.js';
import { flows } from '../../flow-engine/index.js';
import { answerCannot, cannotReasonFlow } from './cannot-reason-flow.js';
import { PRESET_REASONS, presetReason } from './reason-presets.js';
import { stockDraft, stockFlow } from '../stock/stock-flow.js';
import { entryState, stateWord, submitDraft, submitFlow } from './submit-flow.js';
import { withdrawConfirmText, withdrawEntry, withdrawRefusal, withdrawReasonFlow } from './withdraw-reason-flow.js';
import { answerCallback, editOrReply, replyHtml } from '../../ui/reply.js';
import { editAnswerCards } from '../stock/availability-guard.js';
import { campaignJoin } from '../campaigns/callbacks.js';
import { entryChange, entryStatusPage, entryWithdraw, entryWithdrawKeep, entryWithdrawPreset, entryWithdrawTyped, stockCannot, stockCannotPreset, stockCannotTyped, stockConfirm, stockReport } from './callbacks.js';

/**
 * The public card of one product, replied where the user asked: `/cek KODE`, and the `cek_<KODE>` deep
 * link of an inline answer's button (the reader opens the bot and finds the same card).
 */
export async function replyCheck(ctx: BotContext, code: string): Promise<void> {
  const r = await checkProduct(ctx.app.db, code.slice(0, 20));
  const zone = ctx.user?.timeZone ?? ctx.app.config.DEFAULT_TIMEZONE;
  for (const text of checkMessages(checkCardLines(ctx.t, ctx.lang, zone, r))) await replyHtml(ctx, text);
}

/** Entries per `/status` page: each may carry a row of two buttons, well under Telegram's limits. */
const STATUS_PAGE = 10;

/**
 * Whether the exporter may change the commitment now: while registration is open, and a pick that was
 * published to them until the event (raising only; see `planChange`).
 */
function canChange(r: SubmissionRow, now: Date): boolean {
  if (r.submission.status === 'withdrawn' || r.campaign.status !== 'open') return false;
  return now < r.campaign.registrationDeadline || (publishedShortlisted(r) && now < r.campaign.eventAt);
}

/** `/ikut` for one campaign: products already in it are listed with their entry (changed from ✏️), the rest can join. */
export async function startSubmission(ctx: PrivateContext, campaignId: number): Promise<void> {
  const now = ctx.app.now();
  const r = await eligibleProducts(ctx.app.db, ctx.user.id, campaignId, now);
  if (!r.ok) {
    const c = await findCampaign(ctx.app.db, { id: campaignId });
    if (r.error === 'deadline_passed' && c) {
      await replyHtml(ctx, ctx.t('submit.deadlinePassed', { campaign: c.title, deadline: formatDeadline(c.registrationDeadline, ctx.user.timeZone, ctx.lang) }));
    } else await replyHtml(ctx, ctx.t('submit.closed'));
    return;
  }
  const { campaign, products, entries } = r.value;
  if (products.length === 0) return void (await replyHtml(ctx, ctx.t('submit.noProducts')));
  const entered = products.filter((p) => entries.has(p.id));
  if (entered.length) {
    const lines = [ctx.t('submit.enteredTitle', { campaign: campaign.title })];
    for (const p of entered) {
      const e = entries.get(p.id);
      if (!e) continue;
      lines.push(ctx.t('submit.enteredLine', { code: p.code, committed: qty(e.submission.committedQuantity, p.baseUnit, ctx.lang, ctx.t), state: stateWord(ctx.t, entryState(e, now)) }));
    }
    lines.push('', ...(entered.length === products.length ? [ctx.t('submit.allEntered')] : []), ctx.t('submit.enteredHint'));
    const buttons = entered.slice(0, 30).flatMap((p) => {
      const e = entries.get(p.id);
      return e ? [[{ text: ctx.t('submit.changeButton', { code: p.code }), callback_data: entryChange.pack({ id: e.submission.id }) }]] : [];
    });
    await replyHtml(ctx, lines.join('\n'), { inline_keyboard: buttons });
    if (entered.length === products.length) return;
  }
  const levels = await latestLevels(ctx.app.db, ctx.user.id);
  await flows.start(ctx, submitFlow, { draft: submitDraft(campaign, products, levels, entries, now) });
}

/** ✏️ on an entry: the submit flow at its summary card, which says what saving would do. */
async function startChange(ctx: PrivateContext, submissionId: number): Promise<void> {
  const now = ctx.app.now();
  const row = await myEntry(ctx.app.db, ctx.user.id, submissionId);
  if (!row || row.product.archivedAt) return answerCallback(ctx, ctx.t('submit.notYours'), true);
  if (!canChange(row, now)) return answerCallback(ctx, ctx.t(row.submission.status === 'withdrawn' ? 'submit.withdrawAlready' : 'submit.changeClosed'), true);
  await answerCallback(ctx);
  const levels = await latestLevels(ctx.app.db, ctx.user.id);
  const draft = submitDraft(row.campaign, [row.product], levels, new Map([[row.product.id, row]]), now, { productId: row.product.id, committed: row.submission.committedQuantity });
  await flows.start(ctx, submitFlow, { draft, atSummary: true });
}

/** What `/status` says of an entry: the exporter's own withdrawal, else only what was published to them. */
function stateText(ctx: BotContext, r: SubmissionRow, now: Date): string {
  const q = (n: number) => qty(n, r.product.baseUnit, ctx.lang, ctx.t);
  const s = publicState(r.submission.status, r.published?.outcome ?? null);
  if (s === 'withdrawn') return ctx.t('status.withdrawn');
  if (s === 'shortlisted') {
    const vars = { level: r.level ? q(r.level.quantity) : '', committed: q(r.submission.committedQuantity) };
    const cover = !r.level ? ctx.t('status.noLevel') : r.level.quantity >= r.submission.committedQuantity ? ctx.t('status.covered', vars) : ctx.t('status.notCovered', vars);
    return `${ctx.t('status.shortlisted')}\n   ${cover}`;
  }
  if (s === 'not_selected') return ctx.t('status.notSelected', { reason: reasonText(ctx.t, r.published?.reasonKey, r.published?.reason) ?? ctx.t('review.defaultReason') });
  return now < r.campaign.registrationDeadline ? ctx.t('status.submitted', { committed: q(r.submission.committedQuantity) }) : ctx.t('status.underReview');
}

/** One page of `/status`: the entries' lines, their ✏️/↩️ buttons where allowed, and page buttons. */
async function statusPage(ctx: PrivateContext, page: number): Promise<{ text: string; keyboard: { inline_keyboard: InlineKeyboardButton[][] } } | null> {
  const rows = await myStatus(ctx.app.db, ctx.user.id);
  if (rows.length === 0) return null;
  const now = ctx.app.now();
  const pages = Math.ceil(rows.length / STATUS_PAGE);
  const p = Math.min(Math.max(0, page), pages - 1);
  const visible = rows.slice(p * STATUS_PAGE, (p + 1) * STATUS_PAGE);
  const title = pages > 1 ? ctx.t('status.titlePaged', { from: p * STATUS_PAGE + 1, to: p * STATUS_PAGE + visible.length, total: rows.length }) : ctx.t('status.title');
  const lines = [title, ''];
  const buttons: InlineKeyboardButton[][] = [];
  for (const r of visible) {
    lines.push(ctx.t('status.line', { code: r.product.code, name: r.product.name, campaign: r.campaign.title, state: stateText(ctx, r, now) }));
    const row: InlineKeyboardButton[] = [];
    if (canChange(r, now) && !r.product.archivedAt) row.push({ text: ctx.t('submit.changeButton', { code: r.product.code }), callback_data: entryChange.pack({ id: r.submission.id }) });
    if (!withdrawRefusal(ctx, r, now)) row.push({ text: ctx.t('submit.withdrawButton', { code: r.product.code }), callback_data: entryWithdraw.pack({ id: r.submission.id }) });
    if (row.length) buttons.push(row);
  }
  if (pages > 1) {
    const nav: InlineKeyboardButton[] = [];
    if (p > 0) nav.push({ text: ctx.t('flows.prevPage'), callback_data: entryStatusPage.pack({ page: p - 1 }) });
    nav.push({ text: `${p + 1}/${pages}`, callback_data: entryStatusPage.pack({ page: p }) });
    if (p < pages - 1) nav.push({ text: ctx.t('flows.nextPage'), callback_data: entryStatusPage.pack({ page: p + 1 }) });
    buttons.push(nav);
  }
  return { text: lines.join('\n'), keyboard: { inline_keyboard: buttons } };
}

/** The entry an official asked about, if it is still the exporter's pick to answer for. */
async function askedEntry(ctx: PrivateContext, id: number): Promise<SubmissionRow | undefined> {
  const row = await myEntry(ctx.app.db, ctx.user.id, id);
  return row?.submission.status === 'shortlisted' ? row : undefined;
}

export const entryRoutes: readonly Route[] = [
  privateCommand(['ikut', 'join'], async (ctx) => {
    const list = await openCampaigns(ctx.app.db, ctx.app.now());
    const open = list.filter((c) => c.registrationDeadline > ctx.app.now());
    if (open.length === 0) return void (await replyHtml(ctx, ctx.t('campaigns.openEmpty')));
    const [only] = open;
    if (open.length === 1 && only) return startSubmission(ctx, only.id);
    await replyHtml(ctx, ctx.t('submit.pickCampaign'), { inline_keyboard: open.slice(0, 20).map((c) => [{ text: c.title.slice(0, 60), callback_data: campaignJoin.pack({ campaign: c.id }) }]) });
  }),
  privateButton(campaignJoin, async (ctx, { campaign }) => {
    await answerCallback(ctx);
    await startSubmission(ctx, campaign);
  }),
  privateCommand(['status'], async (ctx) => {
    const page = await statusPage(ctx, 0);
    if (!page) return void (await replyHtml(ctx, ctx.t('status.empty')));
    await replyHtml(ctx, page.text, page.keyboard);
  }),
  privateButton(entryStatusPage, async (ctx, { page: asked }) => {
    await answerCallback(ctx);
    const page = await statusPage(ctx, asked);
    if (!page) return void (await editOrReply(ctx, ctx.t('status.empty')));
    await editOrReply(ctx, page.text, page.keyboard);
  }),
  privateButton(entryChange, (ctx, { id }) => startChange(ctx, id)),
  /** ↩️: never one tap. The confirmation names the entry, says what happens, and asks for the reason. */
  privateButton(entryWithdraw, async (ctx, { id }) => {
    const row = await myEntry(ctx.app.db, ctx.user.id, id);
    const refusal = withdrawRefusal(ctx, row, ctx.app.now());
    if (refusal || !row) return answerCallback(ctx, refusal ?? ctx.t('submit.notYours'), true);
    await answerCallback(ctx);
    await replyHtml(ctx, withdrawConfirmText(ctx, row), {
      inline_keyboard: [
        ...PRESET_REASONS.map((k, reason) => [{ text: ctx.t(REASON_MESSAGES[k]), callback_data: entryWithdrawPreset.pack({ id, reason }) }]),
        [{ text: ctx.t('submit.reasonOther'), callback_data: entryWithdrawTyped.pack({ id }) }],
        [{ text: ctx.t('submit.withdrawCancel'), callback_data: entryWithdrawKeep.pack({ id }) }],
      ],
    });
  }),
  privateButton(entryWithdrawPreset, async (ctx, { id, reason }) => {
    const key = presetReason(reason);
    if (!key) return answerCallback(ctx, ctx.t('flows.staleButton'), true);
    const r = await withdrawEntry(ctx, id, listedReason(ctx.t, key));
    if (!r.ok) return answerCallback(ctx, r.refusal, true);
    await answerCallback(ctx);
    await editOrReply(ctx, r.html);
  }),
  privateButton(entryWithdrawTyped, async (ctx, { id }) => {
    const row = await myEntry(ctx.app.db, ctx.user.id, id);
    const refusal = withdrawRefusal(ctx, row, ctx.app.now());
    if (refusal || !row) return answerCallback(ctx, refusal ?? ctx.t('submit.notYours'), true);
    await answerCallback(ctx);
    await flows.start(ctx, withdrawReasonFlow, { target: String(id), draft: { $code: row.product.code, $campaign: row.campaign.title } });
  }),
  privateButton(entryWithdrawKeep, async (ctx, { id }) => {
    await answerCallback(ctx);
    const row = await myEntry(ctx.app.db, ctx.user.id, id);
    await editOrReply(ctx, row ? ctx.t('submit.withdrawKept', { code: row.product.code }) : ctx.t('common.cancelled'));
  }),
  privateButton(stockConfirm, async (ctx, { id }) => {
    const r = await confirmStock(ctx.app.db, ctx.user.id, id, ctx.app.now());
    if (!r.ok) {
      if (r.error === 'no_stock') return answerCallback(ctx, ctx.t('alerts.noStock'), true);
      const row = r.error === 'not_covered' ? await askedEntry(ctx, id) : undefined;
      if (!row?.level) return answerCallback(ctx, ctx.t('alerts.notAsked'), true);
      const q = (n: number) => qty(n, row.product.baseUnit, ctx.lang, ctx.t);
      return answerCallback(ctx, ctx.t('alerts.notCovered', { level: q(row.level.quantity), committed: q(row.submission.committedQuantity) }), true);
    }
    await answerCallback(ctx);
    if (r.value.answer.kind !== 'ready') return;
    await replyHtml(ctx, ctx.t('alerts.confirmed', { code: r.value.code, level: qty(r.value.answer.level, r.value.unit, ctx.lang, ctx.t) }));
    await editAnswerCards(ctx, r.value);
  }),
  /** 📦: the guided stock report, offering only this product; saving it answers the question (see `guardAvailability`). */
  privateButton(stockReport, async (ctx, { id }) => {
    const row = await askedEntry(ctx, id);
    if (!row) return answerCallback(ctx, ctx.t('alerts.notAsked'), true);
    await answerCallback(ctx);
    await flows.start(ctx, stockFlow, { draft: stockDraft([row.product]) });
  }),
  privateButton(stockCannot, async (ctx, { id }) => {
    const row = await askedEntry(ctx, id);
    if (!row) return answerCallback(ctx, ctx.t('alerts.notAsked'), true);
    await answerCallback(ctx);
    await replyHtml(ctx, ctx.t('alerts.cannotPick', { code: row.product.code, campaign: row.campaign.title }), {
      inline_keyboard: [
        ...PRESET_REASONS.map((k, reason) => [{ text: ctx.t(REASON_MESSAGES[k]), callback_data: stockCannotPreset.pack({ id, reason }) }]),
        [{ text: ctx.t('submit.reasonOther'), callback_data: stockCannotTyped.pack({ id }) }],
      ],
    });
  }),
  privateButton(stockCannotPreset, async (ctx, { id, reason }) => {
    const key = presetReason(reason);
    if (!key) return answerCallback(ctx, ctx.t('flows.staleButton'), true);
    const html = await answerCannot(ctx, id, listedReason(ctx.t, key));
    if (!html) return answerCallback(ctx, ctx.t('alerts.notAsked'), true);
    await answerCallback(ctx);
    await editOrReply(ctx, html);
  }),
  privateButton(stockCannotTyped, async (ctx, { id }) => {
    const row = await askedEntry(ctx, id);
    if (!row) return answerCallback(ctx, ctx.t('alerts.notAsked'), true);
    await answerCallback(ctx);
    await flows.start(ctx, cannotReasonFlow, { target: String(id), draft: { $code: row.product.code, $campaign: row.campaign.title } });
  }),
  /** `/cek KODE`: anyone, in private or in a group; nothing private is shown, nothing unpublished either. */
  anyChatCommand(['cek', 'check'], async (ctx) => {
    const code = ctx.message.text.split(/\s+/)[1];
    if (!code) return void (await replyHtml(ctx, ctx.t('check.usage')));
    await replyCheck(ctx, code);
  }),
];
