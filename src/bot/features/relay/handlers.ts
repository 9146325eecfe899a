import type { Message } from 'telegraf/types';
import { isRealPerson } from '../../../domain/identity.js';
import { RELAY_QUESTIONS_PER_HOUR, RELAY_TEXT_LIMIT } from '../../../domain/relay.js';
import { campaignTitleOf, relayAnswer, relayQuestion, traceReply, type RelayText, type ReplyTrace } from '../../../services/relay.js';
import { anyChatRecogniser, isPrivate, type MessageContext, type PrivateMessageContext, type Recogniser } from '../../dispatch/feature.js';
import { unknownMessage } from '../../dispatch/fallback.js';
import { replyHtml } from '../../ui/reply.js';

/** What of a message can be passed on: its text, or a photo's or a document's caption. */
function relayText(m: Message): RelayText | null {
  if ('text' in m) return { text: m.text, textOnly: false };
  if ('caption' in m && m.caption !== undefined && m.caption.trim() !== '') return { text: m.caption, textOnly: true };
  return null;
}

/** The message this one replies to, when that is one of the bot's own (the recogniser reads no database). */
function repliedBotMessage(ctx: MessageContext): number | undefined {
  const replied = 'reply_to_message' in ctx.message ? ctx.message.reply_to_message : undefined;
  if (!replied?.from?.is_bot) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- botInfo is unset until getMe answers (start without a reachable Bot API)
  if (ctx.botInfo && replied.from.id !== ctx.botInfo.id) return undefined;
  return replied.message_id;
}

const limitNote = (ctx: MessageContext, key: 'relay.cut' | 'relay.answerCut') => ctx.t(key, { count: RELAY_TEXT_LIMIT });

async function ask(ctx: PrivateMessageContext, trace: Extract<ReplyTrace, { kind: 'ask' }>): Promise<void> {
  const text = relayText(ctx.message);
  if (!text) {
    await replyHtml(ctx, ctx.t('relay.onlyText'));
    return;
  }
  const message = { chatId: BigInt(ctx.chat.id), messageId: ctx.message.message_id };
  const r = await relayQuestion(ctx.app.db, ctx.user, trace, { ...text, message }, ctx.app.now());
  if (!r.ok) {
    await replyHtml(ctx, r.error === 'rate_limited' ? ctx.t('relay.tooMany', { count: RELAY_QUESTIONS_PER_HOUR }) : ctx.t('relay.noOne'));
    return;
  }
  // Committed before it is said: "passed on" is true once the rows are in Postgres.
  await ctx.app.outbox.enqueue(r.value.deliveryIds);
  const title = await campaignTitleOf(ctx.app.db, trace.source);
  const team = title !== null ? ctx.t('relay.teamCampaign', { campaign: title }) : ctx.t('relay.passedOnSender');
  const lines = [ctx.t('relay.passedOn', { team })];
  if (r.value.cut) lines.push(limitNote(ctx, 'relay.cut'));
  if (text.textOnly) lines.push(ctx.t('relay.textOnly'));
  await replyHtml(ctx, lines.join('\n'));
}

/**
 * A reply to a relayed question, in whatever chat it was delivered to: the sender must be on the
 * campaign's team (checked and audited by the service on every answer); the anonymous group admin and
 * channel posts never count. A refusal is said in a private chat; in a group the bot stays quiet.
 */
async function answer(ctx: MessageContext, trace: Extract<ReplyTrace, { kind: 'answer' }>): Promise<void> {
  const senderChat = 'sender_chat' in ctx.message ? ctx.message.sender_chat : undefined;
  if (!isRealPerson(ctx.from, senderChat)) return;
  const inPrivate = ctx.chat.type === 'private';
  const text = relayText(ctx.message);
  const message = { chatId: BigInt(ctx.chat.id), messageId: ctx.message.message_id };
  const r = await relayAnswer(ctx.app.db, BigInt(ctx.from.id), trace, text && { ...text, message }, ctx.app.now());
  if (!r.ok) {
    if (r.error === 'forbidden' && !inPrivate) return;
    await replyHtml(ctx, ctx.t(r.error === 'forbidden' ? 'relay.notYours' : r.error === 'no_text' ? 'relay.onlyText' : 'relay.exporterGone'));
    return;
  }
  await ctx.app.outbox.enqueue(r.value.deliveryIds);
  const lines = [ctx.t('relay.answerSent', { company: r.value.company })];
  if (r.value.cut) lines.push(limitNote(ctx, 'relay.answerCut'));
  if (text?.textOnly) lines.push(ctx.t('relay.answerTextOnly'));
  await replyHtml(ctx, lines.join('\n'));
}

async function handleReply(ctx: MessageContext, repliedId: number): Promise<void> {
  const trace = await traceReply(ctx.app.db, BigInt(ctx.chat.id), repliedId, BigInt(ctx.from.id));
  if (trace.kind === 'answer') return answer(ctx, trace);
  // A question is asked in the exporter's own chat, about a message that was sent to them.
  if (trace.kind === 'ask' && isPrivate(ctx)) return ask(ctx, trace);
  // Not a message sent on behalf of a campaign: today's answer to anything unrecognised.
  return unknownMessage(ctx);
}

/**
 * A reply to one of the bot's messages (issue 18 item 5). Which message it was, and so whether the
 * reply is a question for a campaign's team, an answer to one, or neither, is for the handler to find
 * in the database; the recogniser only sees that a bot message is replied to.
 */
export const replyToBot: Recogniser = anyChatRecogniser('reply to a bot message', repliedBotMessage, handleReply);
