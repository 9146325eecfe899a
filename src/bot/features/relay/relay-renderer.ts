import { findUser } from '../../../db/queries/users.js';
import type { Delivery, User } from '../../../db/schema/index.js';
import { formatNumber } from '../../../domain/quantity.js';
import { fitUnder, relayPayload, type RelayAbout, type RelayAnswer, type RelayQuestion, type RelaySource } from '../../../domain/relay.js';
import type { Rendered } from '../../../jobs/delivery-engine.js';
import { htmlMessage, type KindRenderer, type RenderEnv } from '../../../jobs/renderers.js';
import type { Translate } from '../../../locales/index.js';
import { campaignTitleOf } from '../../../services/relay.js';
import { isAlertRecipient } from '../../../services/team.js';

function aboutText(a: RelayAbout, t: Translate): string {
  switch (a.of) {
    case 'reminder':
      return t(a.deadline === 'stock' ? 'relay.aboutStock' : 'relay.aboutRegistration');
    case 'result':
      return t('relay.aboutResult', { code: a.code });
    case 'stockQuestion':
      return t('relay.aboutStockQuestion', { code: a.code });
    case 'alert':
      return t('relay.aboutAlert', { code: a.code });
    case 'broadcast':
      return t('relay.aboutBroadcast', { gist: a.gist });
    case 'answer':
      return t('relay.aboutAnswer', { gist: a.gist });
  }
}

/** Still someone who may hear the campaign's questions (a revoked official's queued ones are dropped). */
async function mayHear(d: Delivery, recipient: User, source: RelaySource, db: RenderEnv['db']): Promise<boolean> {
  // A delivery into a group chat (not a person's private chat) is the group's: its members are not checked.
  if (d.chatId !== recipient.id) return true;
  if (source.campaignId !== null) return isAlertRecipient(db, source.campaignId, recipient.id);
  const u = await findUser(db, recipient.id);
  return u?.status === 'active' && (u.role === 'official' || u.role === 'admin');
}

async function renderQuestion(d: Delivery, recipient: User, q: RelayQuestion, env: RenderEnv) {
  if (!(await mayHear(d, recipient, q.source, env.db))) return null;
  return questionMessage(q, env);
}

async function questionMessage(q: RelayQuestion, { db, lang, t }: RenderEnv) {
  const title = await campaignTitleOf(db, q.source);
  const where = title !== null ? t('relay.whereCampaign', { campaign: title }) : t('relay.whereBroadcast', { id: q.source.broadcastId ?? '—' });
  const products =
    q.products.length > 0 ? t('relay.products', { codes: q.products.join(', ') }) + (q.moreProducts > 0 ? t('relay.moreProducts', { n: formatNumber(q.moreProducts, lang) }) : '') : '';
  const vars = { where, company: q.company, products, about: aboutText(q.about, t), note: q.textOnly ? t('relay.textOnlyMark') : '' };
  return htmlMessage(fitUnder((text) => t('relay.question', { ...vars, text }), q.text));
}

async function renderAnswer(a: RelayAnswer, { db, t }: RenderEnv) {
  const title = await campaignTitleOf(db, a.source);
  const team = title !== null ? t('relay.teamCampaign', { campaign: title }) : t('relay.teamOfficials');
  const vars = { team, question: a.question, note: a.textOnly ? t('relay.textOnlyMark') : '' };
  return htmlMessage(fitUnder((text) => t('relay.answer', { ...vars, text }), a.text));
}

/**
 * An exporter's question to an official (who asked, about what, the question) or the team's answer to
 * the exporter (signed with the campaign's name), in the recipient's language at send time.
 */
export const renderRelay: KindRenderer = async (d, recipient, env) => {
  const p = relayPayload.safeParse(d.payload);
  if (!p.success) return null;
  return p.data.relay === 'question' ? renderQuestion(d, recipient, p.data, env) : renderAnswer(p.data, env);
};

/**
 * A question delivered into a campaign's group (`services/relay-routing.ts`), in the group link's
 * language: the group reads it, and only the campaign's team can answer it (checked on each answer).
 */
export async function renderRelayForGroup(d: Delivery, env: RenderEnv): Promise<Rendered | null> {
  const p = relayPayload.safeParse(d.payload);
  if (!p.success || p.data.relay !== 'question') return null;
  return questionMessage(p.data, env);
}
