import type { Db } from '../db/client.js';
import { broadcastById } from '../db/queries/broadcasts.js';
import { campaignById } from '../db/queries/campaigns.js';
import { businessOfOwner } from '../db/queries/catalog.js';
import { insertDeliveries, type NewDelivery } from '../db/queries/deliveries.js';
import { writeAudit } from '../db/queries/officials.js';
import { auditCountSince, deliveryIdsByKeys, ownActiveCodes, ownCampaignCodes, ownEntryCode, sentDeliveryOfMessage } from '../db/queries/relay.js';
import { findUser } from '../db/queries/users.js';
import type { Audience } from '../db/queries/broadcasts.js';
import type { Delivery, User } from '../db/schema/index.js';
import {
  HEADER_PRODUCTS,
  RELAY_QUESTIONS_PER_HOUR,
  fitText,
  gistOf,
  relayPayload,
  type RelayAbout,
  type RelayAnswer,
  type RelayQuestion,
  type RelaySource,
} from '../domain/relay.js';
import { err, ok, type Result } from '../domain/result.js';
import { relayTargets } from './relay-routing.js';
import { authorize } from './roles.js';
import { authorizeCampaign } from './team.js';

/**
 * Exporters' questions reach the team, and the team's answers reach the exporter (issue 18 item 5).
 * A reply names the message it answers; that message's delivery row (found by chat and message id)
 * says which campaign or broadcast it was sent for, and to whom. Both directions are `relay`
 * deliveries, so the engine sends them once at Telegram's pace, and both are audited.
 */

/** What a reply to one of the bot's messages turned out to be. */
export type ReplyTrace =
  /** A campaign's (or a broadcast's) message to this exporter: the reply is a question. */
  | { kind: 'ask'; source: RelaySource; about: RelayAbout; submissionId: number | null }
  /** A question relayed into this chat: the reply is an answer, if its sender may give one. */
  | { kind: 'answer'; delivery: Delivery; question: RelayQuestion }
  /** Anything else (a reply, a card, an official's alert): not a question. */
  | { kind: 'none' };

const NONE: ReplyTrace = { kind: 'none' };

const campaignOfRef = (ref: string): number | null => {
  const m = /^campaign:(\d+)$/.exec(ref);
  return m ? Number(m[1]) : null;
};

const campaignOfAudience = (a: Audience): number | null => (a.type === 'submitters' || a.type === 'shortlisted' ? a.campaignId : null);

/**
 * Which campaign (or broadcast) the message `messageId` of chat `chatId` was sent for. A question is
 * traced only from a message addressed to `senderId` himself: what reaches an exporter is about them.
 */
export async function traceReply(db: Db, chatId: bigint, messageId: number, senderId: bigint): Promise<ReplyTrace> {
  const d = await sentDeliveryOfMessage(db, chatId, messageId);
  if (!d) return NONE;
  const p = d.payload;
  if (d.kind === 'relay') {
    const relay = relayPayload.safeParse(p);
    if (!relay.success) return NONE;
    if (relay.data.relay === 'question') return { kind: 'answer', delivery: d, question: relay.data };
    if (d.recipientId !== senderId) return NONE;
    return { kind: 'ask', source: relay.data.source, about: { of: 'answer', gist: gistOf(relay.data.text) }, submissionId: null };
  }
  // Everything below is a message to one exporter, in their own chat.
  if (d.recipientId !== senderId || d.chatId !== chatId) return NONE;
  if (d.kind === 'broadcast') {
    const b = await broadcastById(db, Number(p.broadcastId));
    if (!b) return NONE;
    const campaignId = campaignOfAudience(b.audience as Audience);
    const source: RelaySource = campaignId !== null ? { campaignId, broadcastId: b.id } : { campaignId: null, broadcastId: b.id, senderId: String(b.authorId) };
    return { kind: 'ask', source, about: { of: 'broadcast', gist: gistOf(b.text) }, submissionId: null };
  }
  const campaignId = campaignOfRef(d.ref);
  if (campaignId === null) return NONE;
  if (d.kind === 'reminder') {
    // The stock-deadline summary goes to officials: not a message to an exporter.
    if (p.summary) return NONE;
    return { kind: 'ask', source: { campaignId }, about: { of: 'reminder', deadline: p.kind === 'stock' ? 'stock' : 'registration' }, submissionId: null };
  }
  // A result or an alert is about one entry: its product, checked to be the sender's own.
  const submissionId = typeof p.submissionId === 'number' ? p.submissionId : null;
  const code = submissionId === null ? undefined : await ownEntryCode(db, senderId, submissionId);
  if (code === undefined) return NONE;
  if (d.kind === 'result') return { kind: 'ask', source: { campaignId }, about: { of: 'result', code }, submissionId };
  if (d.kind === 'alert' && p.forOfficial !== true) return { kind: 'ask', source: { campaignId }, about: { of: p.alert === 'ask' ? 'stockQuestion' : 'alert', code }, submissionId };
  return NONE;
}

/** The campaign's title (what the exporter is told their question went to); null for a broadcast to no campaign. */
export async function campaignTitleOf(db: Db, source: RelaySource): Promise<string | null> {
  if (source.campaignId === null) return null;
  return (await campaignById(db, source.campaignId))?.title ?? null;
}

const refOf = (s: RelaySource) => (s.campaignId !== null ? `relay:campaign:${s.campaignId}` : `relay:broadcast:${s.broadcastId}`);
const auditTarget = (s: RelaySource) => (s.campaignId !== null ? `campaign:${s.campaignId}` : `broadcast:${s.broadcastId}`);

/** The text of a message a reply carries: its text, or a photo's or document's caption (`textOnly`). */
export interface RelayText {
  text: string;
  textOnly: boolean;
}

/** Which message of which chat it is: the reply itself, so a redelivered update relays nothing twice. */
export interface MessageRef {
  chatId: bigint;
  messageId: number;
}

export type QuestionError = 'rate_limited' | 'no_one';

/**
 * An exporter's question, to the people `relayTargets` names, with who asked (their company and their
 * products here, never anyone else's) and about what. At most `RELAY_QUESTIONS_PER_HOUR` an hour.
 */
export async function relayQuestion(
  db: Db,
  exporter: User,
  trace: Extract<ReplyTrace, { kind: 'ask' }>,
  input: RelayText & { message: MessageRef },
  now: Date,
): Promise<Result<{ deliveryIds: number[]; cut: boolean }, QuestionError>> {
  const targets = await relayTargets(db, trace.source);
  const key = (chat: bigint) => `relay:q:${input.message.chatId}:${input.message.messageId}:${chat}`;
  const fitted = fitText(input.text);
  // A redelivered update finds its rows: the same answer, nothing counted or sent twice.
  const existing = await deliveryIdsByKeys(db, targets.map((t) => key(t.chatId)));
  if (existing.length > 0) return ok({ deliveryIds: existing, cut: fitted.cut });
  if (targets.length === 0) {
    await writeAudit(db, { actorId: exporter.id, action: 'relay.question', target: auditTarget(trace.source), outcome: 'refused', details: { reason: 'no_recipient' } });
    return err('no_one');
  }
  if ((await auditCountSince(db, exporter.id, 'relay.question', new Date(now.getTime() - 3_600_000))) >= RELAY_QUESTIONS_PER_HOUR) return err('rate_limited');

  const business = await businessOfOwner(db, exporter.id);
  const codes =
    trace.submissionId !== null && (trace.about.of === 'result' || trace.about.of === 'alert' || trace.about.of === 'stockQuestion')
      ? [trace.about.code]
      : trace.source.campaignId !== null
        ? await ownCampaignCodes(db, exporter.id, trace.source.campaignId)
        : [];
  const products = codes.length > 0 ? codes : await ownActiveCodes(db, exporter.id);
  const payload: RelayQuestion = {
    relay: 'question',
    source: trace.source,
    exporterId: String(exporter.id),
    company: business?.companyName ?? exporter.displayName,
    products: products.slice(0, HEADER_PRODUCTS),
    moreProducts: Math.max(0, products.length - HEADER_PRODUCTS),
    about: trace.about,
    text: fitted.text,
    textOnly: input.textOnly,
  };
  const rows: NewDelivery[] = targets.map((t) => ({
    recipientId: t.recipientId,
    groupLinkId: t.groupLinkId ?? undefined,
    chatId: t.chatId,
    kind: 'relay',
    ref: refOf(trace.source),
    dedupeKey: key(t.chatId),
    payload,
    dueAt: now,
  }));
  const deliveryIds = await db.transaction(async (tx) => {
    const ids = await insertDeliveries(tx, rows);
    await writeAudit(tx, {
      actorId: exporter.id,
      action: 'relay.question',
      target: auditTarget(trace.source),
      details: { message: `${input.message.chatId}:${input.message.messageId}`, about: trace.about, to: targets.map((t) => String(t.chatId)), text: fitted.text, cut: fitted.cut, textOnly: input.textOnly },
      // Stamped by the app's clock: the hourly limit counts these rows by it.
      at: now,
    });
    return ids;
  });
  return ok({ deliveryIds, cut: fitted.cut });
}

/**
 * Whether `actorId` may answer questions about this source: a member of the campaign's team (or an
 * admin), or for a broadcast to no campaign, its sender (or an admin). Read afresh on every answer,
 * and a refusal is audited.
 */
async function authorizeAnswer(db: Db, actorId: bigint, source: RelaySource): Promise<Result<User, 'forbidden'>> {
  if (source.campaignId !== null) return authorizeCampaign(db, actorId, source.campaignId, 'relay.answer');
  const target = `broadcast:${source.broadcastId}`;
  const who = await authorize(db, actorId, 'official', 'relay.answer', target);
  if (!who.ok) return who;
  if (who.value.role === 'admin' || String(actorId) === source.senderId) return who;
  await writeAudit(db, { actorId, action: 'relay.answer', target, outcome: 'refused', details: { reason: 'not_sender' } });
  return err('forbidden');
}

export type AnswerError = 'forbidden' | 'no_text' | 'gone';

/**
 * An official's reply to a relayed question, back to the exporter who asked it (only them: the
 * question's own row names them), signed with the campaign's name when it is rendered.
 */
export async function relayAnswer(
  db: Db,
  officialId: bigint,
  trace: Extract<ReplyTrace, { kind: 'answer' }>,
  input: (RelayText & { message: MessageRef }) | null,
  now: Date,
): Promise<Result<{ deliveryIds: number[]; company: string; cut: boolean }, AnswerError>> {
  const q = trace.question;
  const who = await authorizeAnswer(db, officialId, q.source);
  if (!who.ok) return who;
  if (!input) return err('no_text');
  const exporter = await findUser(db, BigInt(q.exporterId));
  if (!exporter) return err('gone');
  const fitted = fitText(input.text);
  const payload: RelayAnswer = { relay: 'answer', source: q.source, officialId: String(officialId), question: gistOf(q.text), text: fitted.text, textOnly: input.textOnly };
  const row: NewDelivery = {
    recipientId: exporter.id,
    chatId: exporter.chatId,
    kind: 'relay',
    ref: refOf(q.source),
    dedupeKey: `relay:a:${input.message.chatId}:${input.message.messageId}`,
    payload,
    dueAt: now,
  };
  const deliveryIds = await db.transaction(async (tx) => {
    const ids = await insertDeliveries(tx, [row]);
    // A redelivered answer inserts nothing: it was audited the first time.
    if (ids.length > 0) {
      await writeAudit(tx, {
        actorId: officialId,
        action: 'relay.answer',
        target: auditTarget(q.source),
        details: { message: `${input.message.chatId}:${input.message.messageId}`, question: trace.delivery.id, exporterId: q.exporterId, text: fitted.text, cut: fitted.cut, textOnly: input.textOnly },
        at: now,
      });
    }
    return ids.length > 0 ? ids : deliveryIdsByKeys(tx, [row.dedupeKey]);
  });
  return ok({ deliveryIds, company: q.company, cut: fitted.cut });
}
