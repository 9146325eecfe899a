import type { InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove } from 'telegraf/types';
import type { BotContext } from '../context.js';
import { withResult } from '../runtime/outgoing.js';

export type Keyboard = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove;

/** Every reply goes out as HTML: locale strings carry markup, user text is escaped by the translator. */
export function replyHtml(ctx: BotContext, text: string, keyboard?: Keyboard) {
  return ctx.reply(text, {
    parse_mode: 'HTML',
    link_preview_options: { is_disabled: true },
    ...(keyboard ? { reply_markup: keyboard } : {}),
  });
}

/**
 * Edits the message a button belongs to; falls back to a new message when it can no longer be edited.
 * A text message the user just pressed a button on can be edited (at worst it is "not modified"), so
 * that edit may ride the webhook answer; a photo or document message has no text to edit, so that edit
 * is made at once, to learn that it failed and reply instead.
 */
export async function editOrReply(ctx: BotContext, text: string, keyboard?: InlineKeyboardMarkup) {
  const target = ctx.callbackQuery?.message;
  const edit = () =>
    ctx.editMessageText(text, {
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      ...(keyboard ? { reply_markup: keyboard } : {}),
    });
  try {
    return await (target && 'text' in target ? edit() : withResult(ctx.update, edit));
  } catch (err) {
    if (isNotModified(err)) return true;
    return replyHtml(ctx, text, keyboard);
  }
}

function isNotModified(err: unknown): boolean {
  return err instanceof Error && /message is not modified/i.test(err.message);
}

/** The spinner on a pressed button must stop quickly; a late answer is only worth a log line. */
export async function answerCallback(ctx: BotContext, text?: string, alert = false): Promise<void> {
  try {
    await ctx.answerCbQuery(text, alert ? { show_alert: true } : undefined);
  } catch (err) {
    ctx.log.warn({ err }, 'answerCallbackQuery failed');
  }
}
