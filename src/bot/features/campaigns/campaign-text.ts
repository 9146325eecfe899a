import type { Category } from '../../../domain/catalog.js';
import { formatDeadline, formatInAllZones } from '../../../domain/deadline.js';
import { escapeHtml } from '../../../domain/text.js';
import { countdownText } from '../../../locales/format.js';
import type { MessageKey } from '../../../locales/index.js';
import type { Campaign } from '../../../services/campaigns.js';
import { campaignPhases } from '../../../domain/campaign-phase.js';
import type { Translate } from '../../../locales/index.js';
import type { BotContext } from '../../context.js';

export function campaignLink(ctx: BotContext, c: Campaign): string {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- botInfo is unset until getMe answers (start without a reachable Bot API)
  const username = ctx.botInfo?.username ?? 'etalase_bot';
  return `https://t.me/${username}?start=c_${c.slug}`;
}

/** The confirmation shows each deadline in WIB, WITA and WIT, so no official misreads a zone. */
export function campaignSavedText(ctx: BotContext, c: Campaign): string {
  const all = (d: Date) => formatInAllZones(d, ctx.lang).map(escapeHtml).join('\n');
  return ctx.t('campaigns.saved', {
    title: c.title,
    link: campaignLink(ctx, c),
    registration: all(c.registrationDeadline),
    stock: all(c.stockDeadline),
    event: all(c.eventAt),
  });
}

/** "Tahap: 📝 pendaftaran dibuka · 📢 hasil diumumkan": the phase from the clock and the publish state. */
export function phaseText(t: Translate, c: Campaign, now: Date): string {
  return t('phases.line', { phases: campaignPhases(c, now).map((p) => t(`phases.${p}`)).join(' · ') });
}

/** A campaign as the reader sees it: times in their own zone, with a countdown. */
export function campaignCardText(ctx: BotContext, c: Campaign): string {
  const tz = ctx.user?.timeZone ?? ctx.app.config.DEFAULT_TIMEZONE;
  const when = (d: Date) => escapeHtml(formatDeadline(d, tz, ctx.lang));
  return ctx.t('campaigns.card', {
    title: c.title,
    status: c.status === 'closed' ? ctx.t('campaigns.statusClosed') : '',
    phase: phaseText(ctx.t, c, ctx.app.now()),
    market: c.market,
    description: c.description,
    categories: c.targetCategories.length
      ? c.targetCategories.map((x) => ctx.t(`categories.${x as Category}` as MessageKey)).join(', ')
      : ctx.t('campaigns.allCategories'),
    registration: when(c.registrationDeadline),
    left: countdownText(c.registrationDeadline, ctx.app.now(), ctx.t),
    stock: when(c.stockDeadline),
    event: when(c.eventAt),
    max: ctx.t('campaigns.cardMax', { count: c.maxShortlist }),
    fresh: ctx.t('campaigns.cardFresh', { count: c.freshnessDays }),
  });
}
