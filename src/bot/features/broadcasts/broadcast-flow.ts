import { withResult } from '../../runtime/outgoing.js';
import { CATEGORIES, type Category } from '../../../domain/catalog.js';
import { PROVINCES } from '../../../domain/provinces.js';
import { escapeHtml } from '../../../domain/text.js';
import type { MessageKey } from '../../../locales/index.js';
import { attachProgressMessage, audienceSize, createBroadcast, MAX_BROADCAST_CHARS, type Audience } from '../../../services/broadcasts.js';
import type { Campaign } from '../../../services/campaigns.js';
import type { JsonValue } from '../../session/schema.js';
import { categoryKey } from '../catalogue/product-flow.js';
import { answerSchema, bad, good } from '../../flow-engine/answers.js';
import type { Draft, FlowDef } from '../../flow-engine/types.js';

const AUDIENCES = ['all', 'province', 'category', 'submitters', 'shortlisted'] as const;
type AudienceType = (typeof AUDIENCES)[number];
const AUDIENCE_KEYS: Record<AudienceType, MessageKey> = {
  all: 'broadcast.audienceAll',
  province: 'broadcast.audienceProvince',
  category: 'broadcast.audienceCategory',
  submitters: 'broadcast.audienceSubmitters',
  shortlisted: 'broadcast.audienceShortlisted',
};

const str = (v: JsonValue | undefined) => (typeof v === 'string' ? v : '');

function campaignsOf(draft: Draft): { id: number; title: string }[] {
  return Array.isArray(draft.$campaigns)
    ? draft.$campaigns.flatMap((c) => (c && typeof c === 'object' && !Array.isArray(c) && typeof c.id === 'number' && typeof c.title === 'string' ? [{ id: c.id, title: c.title }] : []))
    : [];
}

export function broadcastDraft(campaigns: Campaign[]): Draft {
  return { $campaigns: campaigns.map((c) => ({ id: c.id, title: c.title.slice(0, 40) })) };
}

function audienceOf(d: Draft): Audience | null {
  switch (d.aud) {
    case 'all':
      return { type: 'all' };
    case 'province':
      return typeof d.prov === 'string' ? { type: 'province', province: d.prov } : null;
    case 'category':
      return typeof d.cat === 'string' ? { type: 'category', category: d.cat } : null;
    case 'submitters':
    case 'shortlisted':
      return typeof d.camp === 'number' ? { type: d.aud, campaignId: d.camp } : null;
    default:
      return null;
  }
}

function messageOf(d: Draft): { text: string; entities: unknown[] } | null {
  const m = d.msg;
  if (!m || typeof m !== 'object' || Array.isArray(m) || typeof m.text !== 'string') return null;
  return { text: m.text, entities: Array.isArray(m.entities) ? m.entities : [] };
}

/** `/siaran`: audience, message (formatting kept through entities), preview with the count, send. */
export const broadcastFlow: FlowDef = {
  name: 'broadcast',
  title: 'broadcast.title',
  steps: [
    {
      id: 'aud',
      prompt: 'broadcast.askAudience',
      label: 'broadcast.fieldAudience',
      keyboard: ({ t }) => ({ type: 'choices', columns: 1, options: AUDIENCES.map((a) => ({ value: a, label: t(AUDIENCE_KEYS[a]) })) }),
      schema: () => answerSchema((i) => (i.kind === 'choice' && (AUDIENCES as readonly string[]).includes(i.value) ? good(i.value) : bad('broadcast.errAudience'))),
      display: (v, { t }) => t((AUDIENCE_KEYS as Partial<Record<string, MessageKey>>)[str(v)] ?? 'broadcast.audienceAll'),
    },
    {
      id: 'prov',
      prompt: 'broadcast.askProvince',
      label: 'broadcast.fieldTarget',
      when: (d) => d.aud === 'province',
      keyboard: () => ({ type: 'choices', columns: 2, pageSize: 12, options: PROVINCES.map((p, i) => ({ value: String(i), label: p.name })) }),
      schema: () => answerSchema((i) => (i.kind === 'choice' && PROVINCES[Number(i.value)] ? good(PROVINCES[Number(i.value)]!.name) : bad('register.errProvince'))),
      display: (v) => escapeHtml(str(v)),
    },
    {
      id: 'cat',
      prompt: 'broadcast.askCategory',
      label: 'broadcast.fieldTarget',
      when: (d) => d.aud === 'category',
      keyboard: ({ t }) => ({ type: 'choices', columns: 2, options: CATEGORIES.map((c) => ({ value: c, label: t(categoryKey(c)) })) }),
      schema: () => answerSchema((i) => (i.kind === 'choice' && (CATEGORIES as readonly string[]).includes(i.value) ? good(i.value) : bad('product.errCategory'))),
      display: (v, { t }) => t(categoryKey(str(v) as Category)),
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
          return good({ text: i.text, entities: (i.entities ?? []) as JsonValue[] });
        }),
      display: (_v, { t }) => t('broadcast.messageShown'),
    },
  ],
  async preview(ctx, draft) {
    const audience = audienceOf(draft);
    const message = messageOf(draft);
    if (!audience || !message || !ctx.user) return null;
    await ctx.reply(message.text, { entities: message.entities as never, link_preview_options: { is_disabled: true } });
    const n = await audienceSize(ctx.app.db, ctx.user.id, audience);
    return n.ok ? ctx.t('broadcast.preview', { count: n.value }) : ctx.t('officials.notAllowed');
  },
  async save(ctx, draft, { requestKey }) {
    const audience = audienceOf(draft);
    const message = messageOf(draft);
    if (!audience || !message || !ctx.user || !ctx.chat) return { kind: 'refused', html: ctx.t('flows.invalid') };
    const r = await createBroadcast(ctx.app.db, ctx.user.id, { audience, ...message, progressChatId: BigInt(ctx.chat.id), requestKey }, ctx.app.now());
    if (!r.ok) {
      return { kind: 'refused', html: ctx.t(r.error === 'forbidden' ? 'officials.notAllowed' : r.error === 'too_long' ? 'broadcast.errTooLong' : 'broadcast.errEmpty') };
    }
    const { broadcast, deliveryIds } = r.value;
    if (deliveryIds.length === 0) return { kind: 'saved', html: ctx.t('broadcast.noRecipients') };
    // Its id is kept for the progress edits, so this reply must really be sent now (not held).
    const progress = await withResult(ctx.update, () => ctx.reply(ctx.t('broadcast.progressStart', { id: broadcast.id, total: deliveryIds.length }), { parse_mode: 'HTML' }));
    await attachProgressMessage(ctx.app.db, broadcast.id, progress.message_id);
    await ctx.app.outbox.enqueue(deliveryIds);
    await ctx.app.outbox.trackBroadcast(broadcast.id);
    return { kind: 'saved', html: ctx.t('broadcast.queued', { id: broadcast.id, count: deliveryIds.length }) };
  },
};
