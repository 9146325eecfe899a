import { z } from 'zod';
import type { MessageEntity } from 'telegraf/types';
import { withResult } from '../../runtime/outgoing.js';
import { MAX_SCHEDULE_DAYS, parseSendTime, type SendTimeError } from '../../../domain/broadcast-schedule.js';
import { CATEGORIES } from '../../../domain/catalog.js';
import { formatDeadline } from '../../../domain/deadline.js';
import { PROVINCES } from '../../../domain/provinces.js';
import { formatNumber } from '../../../domain/quantity.js';
import { escapeHtml } from '../../../domain/text.js';
import type { MessageKey } from '../../../locales/index.js';
import { attachProgressMessage, audienceSize, createBroadcast, MAX_BROADCAST_CHARS, type Audience } from '../../../services/broadcasts.js';
import type { Campaign } from '../../../services/campaigns.js';
import { scheduleBroadcast } from '../../../services/scheduled-broadcasts.js';
import { categoryKey } from '../catalogue/product-flow.js';
import { answerSchema, bad, good, textAnswer } from '../../flow-engine/answers.js';
import { defineFlow } from '../../flow-engine/define.js';
import { jsonValue } from '../../flow-engine/json.js';

const AUDIENCES = ['all', 'province', 'category', 'submitters', 'shortlisted'] as const;
type AudienceType = (typeof AUDIENCES)[number];
const AUDIENCE_KEYS: Record<AudienceType, MessageKey> = {
  all: 'broadcast.audienceAll',
  province: 'broadcast.audienceProvince',
  category: 'broadcast.audienceCategory',
  submitters: 'broadcast.audienceSubmitters',
  shortlisted: 'broadcast.audienceShortlisted',
};

/** A Telegram message entity as it came (its `type`, where it is, and whatever else that type carries). */
const entity = z.object({ type: z.string(), offset: z.number(), length: z.number() }).catchall(jsonValue);

/**
 * The audience and its target (a province name, a category, a campaign id), the message with its
 * formatting, and the official's campaigns to choose from.
 */
const broadcastDraftSchema = z.object({
  aud: z.enum(AUDIENCES).optional(),
  prov: z.string().optional(),
  cat: z.enum(CATEGORIES).optional(),
  camp: z.number().optional(),
  msg: z.object({ text: z.string(), entities: z.array(entity) }).optional(),
  /** ⏰ Kirim nanti: when to start (ISO, UTC); null or missing: sent when confirmed. */
  at: z.iso.datetime().nullable().optional(),
  $campaigns: z.array(z.object({ id: z.number(), title: z.string() })).optional(),
});
type BroadcastDraft = z.infer<typeof broadcastDraftSchema>;

const campaignsOf = (draft: BroadcastDraft) => draft.$campaigns ?? [];

export function broadcastDraft(campaigns: Campaign[]): BroadcastDraft {
  return { $campaigns: campaigns.map((c) => ({ id: c.id, title: c.title.slice(0, 40) })) };
}

const SEND_TIME_ERRORS: Record<SendTimeError, MessageKey> = {
  deadline_unreadable: 'broadcast.errSendAtUnreadable',
  deadline_bad_date: 'campaigns.errDeadlineBadDate',
  deadline_past: 'broadcast.errSendAtPast',
  send_too_far: 'broadcast.errSendAtFar',
};

function audienceOf(d: BroadcastDraft): Audience | null {
  switch (d.aud) {
    case 'all':
      return { type: 'all' };
    case 'province':
      return d.prov !== undefined ? { type: 'province', province: d.prov } : null;
    case 'category':
      return d.cat !== undefined ? { type: 'category', category: d.cat } : null;
    case 'submitters':
    case 'shortlisted':
      return d.camp !== undefined ? { type: d.aud, campaignId: d.camp } : null;
    case undefined:
      return null;
  }
}

/** `/siaran`: audience, message (formatting kept through entities), preview with the count, send. */
export const broadcastFlow = defineFlow({
  name: 'broadcast',
  title: 'broadcast.title',
  draft: broadcastDraftSchema,
  steps: [
    {
      id: 'aud',
      prompt: 'broadcast.askAudience',
      label: 'broadcast.fieldAudience',
      keyboard: ({ t }) => ({ type: 'choices', columns: 1, options: AUDIENCES.map((a) => ({ value: a, label: t(AUDIENCE_KEYS[a]) })) }),
      schema: () =>
        answerSchema((i) => {
          const hit = i.kind === 'choice' ? AUDIENCES.find((a) => a === i.value) : undefined;
          return hit ? good(hit) : bad('broadcast.errAudience');
        }),
      display: (v, { t }) => t(AUDIENCE_KEYS[v]),
    },
    {
      id: 'prov',
      prompt: 'broadcast.askProvince',
      label: 'broadcast.fieldTarget',
      when: (d) => d.aud === 'province',
      keyboard: () => ({ type: 'choices', columns: 2, pageSize: 12, options: PROVINCES.map((p, i) => ({ value: String(i), label: p.name })) }),
      schema: () =>
        answerSchema((i) => {
          const p = i.kind === 'choice' ? PROVINCES[Number(i.value)] : undefined;
          return p ? good(p.name) : bad('register.errProvince');
        }),
      display: (v) => escapeHtml(v),
    },
    {
      id: 'cat',
      prompt: 'broadcast.askCategory',
      label: 'broadcast.fieldTarget',
      when: (d) => d.aud === 'category',
      keyboard: ({ t }) => ({ type: 'choices', columns: 2, options: CATEGORIES.map((c) => ({ value: c, label: t(categoryKey(c)) })) }),
      schema: () =>
        answerSchema((i) => {
          const c = i.kind === 'choice' ? CATEGORIES.find((x) => x === i.value) : undefined;
          return c ? good(c) : bad('product.errCategory');
        }),
      display: (v, { t }) => t(categoryKey(v)),
    },
    {
      id: 'camp',
      prompt: 'broadcast.askCampaign',
      label: 'broadcast.fieldTarget',
      when: (d) => d.aud === 'submitters' || d.aud === 'shortlisted',
      keyboard: ({ draft }) => ({ type: 'choices', columns: 1, pageSize: 8, options: campaignsOf(draft).map((c) => ({ value: String(c.id), label: c.title })) }),
      schema: ({ draft }) =>
        answerSchema((i) => {
          const hit = i.kind === 'choice' ? campaignsOf(draft).find((c) => String(c.id) === i.value) : undefined;
          return hit ? good(hit.id) : bad('broadcast.errCampaign');
        }),
      display: (v, { draft }) => escapeHtml(campaignsOf(draft).find((c) => c.id === v)?.title ?? ''),
    },
    {
      id: 'msg',
      prompt: 'broadcast.askMessage',
      label: 'broadcast.fieldMessage',
      schema: () =>
        answerSchema((i) => {
          if (i.kind !== 'text') return bad('broadcast.errEmpty');
          // Refused before anything is queued: Telegram would refuse it for every recipient.
          if (i.text.length > MAX_BROADCAST_CHARS) return bad('broadcast.errTooLong');
          if (!i.text.trim()) return bad('broadcast.errEmpty');
          // Telegram's entities are JSON; read through the schema, they are stored as they came.
          const entities = z.array(entity).safeParse(i.entities ?? []);
          return entities.success ? good({ text: i.text, entities: entities.data }) : bad('flows.invalid');
        }),
      display: (_v, { t }) => t('broadcast.messageShown'),
    },
    {
      // Offered on the summary card beside 💾 (send now), never asked in order.
      id: 'at',
      prompt: 'broadcast.askSendAt',
      label: 'broadcast.fieldSendAt',
      offer: 'broadcast.sendLater',
      optional: true,
      note: ({ t, now, timeZone, lang }) => t('broadcast.sendAtNote', { now: formatDeadline(now, timeZone, lang), count: MAX_SCHEDULE_DAYS }),
      schema: ({ now, timeZone }) =>
        textAnswer((text) => {
          const r = parseSendTime(text, { timeZone, now });
          return r.ok ? good(r.value.toISOString()) : bad(SEND_TIME_ERRORS[r.error]);
        }),
      display: (v, { timeZone, lang }) => formatDeadline(new Date(v), timeZone, lang),
    },
  ],
  async preview(ctx, draft) {
    const audience = audienceOf(draft);
    const message = draft.msg;
    if (!audience || !message) return null;
    // The entities are the ones Telegram sent with the official's message, sent back unchanged.
    await ctx.reply(message.text, { entities: message.entities as MessageEntity[], link_preview_options: { is_disabled: true } });
    const n = await audienceSize(ctx.app.db, ctx.user.id, audience);
    if (!n.ok) return ctx.t('officials.notAllowed');
    if (!draft.at) return ctx.t('broadcast.preview', { count: n.value });
    return ctx.t('broadcast.previewLater', { count: formatNumber(n.value, ctx.lang), when: formatDeadline(new Date(draft.at), ctx.user.timeZone, ctx.lang) });
  },
  async save(ctx, draft, { requestKey }) {
    const audience = audienceOf(draft);
    const message = draft.msg;
    if (!audience || !message) return { kind: 'refused', html: ctx.t('flows.invalid') };
    if (draft.at) {
      const at = new Date(draft.at);
      const when = formatDeadline(at, ctx.user.timeZone, ctx.lang);
      const s = await scheduleBroadcast(ctx.app.db, ctx.user.id, { audience, ...message, at, progressChatId: BigInt(ctx.chat.id), requestKey }, ctx.app.now());
      if (!s.ok) {
        const refusal: Record<typeof s.error, string> = {
          forbidden: ctx.t('officials.notAllowed'),
          too_long: ctx.t('broadcast.errTooLong'),
          empty: ctx.t('broadcast.errEmpty'),
          past: ctx.t('broadcast.sendAtPassed', { when }),
          too_far: ctx.t('broadcast.sendAtTooFar', { when }),
        };
        return { kind: 'refused', html: refusal[s.error] };
      }
      return { kind: 'saved', html: ctx.t('broadcast.scheduled', { id: s.value.broadcast.id, when, count: formatNumber(s.value.audienceNow, ctx.lang) }) };
    }
    const r = await createBroadcast(ctx.app.db, ctx.user.id, { audience, ...message, progressChatId: BigInt(ctx.chat.id), requestKey }, ctx.app.now());
    if (!r.ok) {
      return { kind: 'refused', html: ctx.t(r.error === 'forbidden' ? 'officials.notAllowed' : r.error === 'too_long' ? 'broadcast.errTooLong' : 'broadcast.errEmpty') };
    }
    const { broadcast, deliveryIds } = r.value;
    if (deliveryIds.length === 0) return { kind: 'saved', html: ctx.t('broadcast.noRecipients') };
    // Its id is kept for the progress edits, so this reply must really be sent now (not held).
    const progress = await withResult(ctx.update, () => ctx.reply(ctx.t('broadcast.progressStart', { id: broadcast.id, count: deliveryIds.length }), { parse_mode: 'HTML' }));
    await attachProgressMessage(ctx.app.db, broadcast.id, progress.message_id);
    await ctx.app.outbox.enqueue(deliveryIds);
    await ctx.app.outbox.trackBroadcast(broadcast.id);
    return { kind: 'saved', html: ctx.t('broadcast.queued', { id: broadcast.id, count: deliveryIds.length }) };
  },
});
