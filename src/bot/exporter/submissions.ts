import { Composer } from '../composer.js';
import type { InlineKeyboardButton } from 'telegraf/types';
import { formatDeadline } from '../../domain/deadline.js';
import { qty } from '../../locales/format.js';
import { confirmStock } from '../../services/availability.js';
import { findCampaign, openCampaigns } from '../../services/campaigns.js';
import { latestLevels } from '../../services/stock.js';
import { checkProduct, eligibleProducts, myStatus, withdrawSubmission } from '../../services/submissions.js';
import type { BotContext } from '../context.js';
import { privateSection } from '../middleware/private-section.js';
import { flows } from '../flows/index.js';
import { submitDraft } from '../flows/submit.js';
import { answerCallback, replyHtml } from '../ui/reply.js';

export const submissions = new Composer<BotContext>();
const privateOnly = privateSection(submissions);

export async function startSubmission(ctx: BotContext, campaignId: number, preset?: { productId: number; committed: number }): Promise<void> {
  const now = ctx.app.now();
  const r = await eligibleProducts(ctx.app.db, ctx.user!.id, campaignId, now);
  if (!r.ok) {
    const c = await findCampaign(ctx.app.db, { id: campaignId });
    if (r.error === 'deadline_passed' && c) {
      await replyHtml(ctx, ctx.t('submit.deadlinePassed', { campaign: c.title, deadline: formatDeadline(c.registrationDeadline, ctx.user!.timeZone, ctx.lang) }));
    } else await replyHtml(ctx, ctx.t('submit.closed'));
    return;
  }
  if (r.value.products.length === 0) return void (await replyHtml(ctx, ctx.t('submit.noProducts')));
  // Changing an entry whose product was archived or no longer fits the campaign: nothing to edit.
  if (preset && !r.value.products.some((p) => p.id === preset.productId)) return void (await replyHtml(ctx, ctx.t('submit.notYours')));
  const levels = await latestLevels(ctx.app.db, ctx.user!.id);
  await flows.start(ctx, 'submit', { draft: submitDraft(r.value.campaign, r.value.products, levels, preset), ...(preset ? { atSummary: true } : {}) });
}

privateOnly.command(['ikut', 'join'], async (ctx) => {
  const list = await openCampaigns(ctx.app.db, ctx.app.now());
  const open = list.filter((c) => c.registrationDeadline > ctx.app.now());
  if (open.length === 0) return void (await replyHtml(ctx, ctx.t('campaigns.openEmpty')));
  if (open.length === 1) return startSubmission(ctx, open[0]!.id);
  await replyHtml(ctx, ctx.t('submit.pickCampaign'), { inline_keyboard: open.slice(0, 20).map((c) => [{ text: c.title.slice(0, 60), callback_data: `cp:j:${c.id}` }]) });
});

privateOnly.action(/^cp:j:(\d{1,9})$/, async (ctx) => {
  await answerCallback(ctx);
  await startSubmission(ctx, Number(ctx.match[1]));
});

privateOnly.command('status', async (ctx) => {
  const rows = await myStatus(ctx.app.db, ctx.user!.id);
  if (rows.length === 0) return void (await replyHtml(ctx, ctx.t('status.empty')));
  const now = ctx.app.now();
  const lines = [ctx.t('status.title'), ''];
  const buttons: InlineKeyboardButton[][] = [];
  for (const r of rows) {
    const q = (n: number) => qty(n, r.product.baseUnit, ctx.lang, ctx.t);
    const published = Boolean(r.campaign.resultsPublishedAt);
    let state: string;
    if (r.submission.status === 'withdrawn') state = ctx.t('status.withdrawn');
    else if (published && r.submission.status === 'shortlisted') {
      const cover = !r.level ? ctx.t('status.noLevel') : r.level.quantity >= r.submission.committedQuantity ? ctx.t('status.covered', { level: q(r.level.quantity), committed: q(r.submission.committedQuantity) }) : ctx.t('status.notCovered', { level: q(r.level.quantity), committed: q(r.submission.committedQuantity) });
      state = `${ctx.t('status.shortlisted')}\n   ${cover}`;
    } else if (published) state = ctx.t('status.notSelected', { reason: r.submission.reason ?? ctx.t('review.defaultReason') });
    else if (now < r.campaign.registrationDeadline) state = ctx.t('status.submitted', { committed: q(r.submission.committedQuantity) });
    else state = ctx.t('status.underReview');
    lines.push(ctx.t('status.line', { code: r.product.code, name: r.product.name, campaign: r.campaign.title, state }));
    if (r.submission.status !== 'withdrawn' && now < r.campaign.registrationDeadline && r.campaign.status === 'open') {
      buttons.push([
        { text: ctx.t('submit.changeButton', { code: r.product.code }), callback_data: `sb:c:${r.submission.id}` },
        { text: ctx.t('submit.withdrawButton', { code: r.product.code }), callback_data: `sb:w:${r.submission.id}` },
      ]);
    }
  }
  await replyHtml(ctx, lines.join('\n'), { inline_keyboard: buttons.slice(0, 30) });
});

privateOnly.action(/^sb:w:(\d{1,9})$/, async (ctx) => {
  const r = await withdrawSubmission(ctx.app.db, ctx.user!.id, Number(ctx.match[1]), '', ctx.app.now());
  if (!r.ok) {
    if (r.error === 'deadline_passed') return answerCallback(ctx, ctx.t('submit.closed'), true);
    return answerCallback(ctx, ctx.t('submit.notYours'), true);
  }
  await answerCallback(ctx);
  await ctx.app.outbox.enqueue(r.value.alerts);
  await replyHtml(ctx, ctx.t('submit.withdrawn', { code: r.value.code, campaign: r.value.campaign }));
});

privateOnly.action(/^sb:c:(\d{1,9})$/, async (ctx) => {
  const rows = await myStatus(ctx.app.db, ctx.user!.id);
  const row = rows.find((x) => x.submission.id === Number(ctx.match[1]));
  if (!row) return answerCallback(ctx, ctx.t('submit.notYours'), true);
  await answerCallback(ctx);
  await startSubmission(ctx, row.campaign.id, { productId: row.product.id, committed: row.submission.committedQuantity });
});

privateOnly.action(/^av:ok:(\d{1,9})$/, async (ctx) => {
  const r = await confirmStock(ctx.app.db, ctx.user!.id, Number(ctx.match[1]), ctx.app.now());
  if (!r.ok) return answerCallback(ctx, ctx.t('submit.notYours'), true);
  await answerCallback(ctx);
  if (r.value.answer.kind !== 'ready') return;
  await replyHtml(ctx, ctx.t('alerts.confirmed', { code: r.value.code, level: qty(r.value.answer.level, r.value.unit, ctx.lang, ctx.t) }));
});

/** `/cek KODE`: anyone, in private or in a group; nothing private is shown. */
submissions.command(['cek', 'check'], async (ctx) => {
  const code = ctx.message.text.split(/\s+/)[1];
  if (!code) return void (await replyHtml(ctx, ctx.t('check.usage')));
  const r = await checkProduct(ctx.app.db, code.slice(0, 20));
  if (r.kind === 'unknown') return void (await replyHtml(ctx, ctx.t('check.unknown', { code: code.slice(0, 20).toUpperCase() })));
  if (r.kind === 'none') return void (await replyHtml(ctx, ctx.t('check.none', { code: r.code, name: r.name })));
  const tz = ctx.user?.timeZone ?? ctx.app.config.DEFAULT_TIMEZONE;
  const lines = [ctx.t('check.title', { code: r.code, name: r.name })];
  for (const i of r.items) {
    if (i.state === 'shortlisted') lines.push(ctx.t('check.shortlisted', { campaign: i.campaign }));
    else if (i.state === 'not_selected') lines.push(ctx.t('check.notSelected', { campaign: i.campaign }));
    else lines.push(ctx.t('check.pending', { campaign: i.campaign, expected: i.expected ? formatDeadline(i.expected, tz, ctx.lang) : '—' }));
  }
  await replyHtml(ctx, lines.join('\n'));
});
