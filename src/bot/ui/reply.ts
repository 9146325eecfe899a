import type { InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove } from 'telegraf/types';
import type { BotContext } from '../context.js';

export type Keyboard = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove;

/** Every reply goes out as HTML: locale strings carry markup, user text is escaped by the translator. */
export function replyHtml(ctx: BotContext, text: string, keyboard?: Keyboard) {
  return ctx.reply(text, {
    parse_mode: 'HTML',
    link_preview_options: { is_disabled: true },
    ...(keyboard ? { reply_markup: keyboard } : {}),
  });
}

/** Edits the message a button belongs to; falls back to a new message when it can no longer be edited. */
export async function editOrReply(ctx: BotContext, text: string, keyboard?: InlineKeyboardMarkup) {
  try {
    return await ctx.editMessageText(text, {
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      ...(keyboard ? { reply_markup: keyboard } : {}),
    });
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
