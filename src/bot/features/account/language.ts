import { Markup } from 'telegraf';
import { isLang, translator, LANGUAGES } from '../../../locales/index.js';
import { chooseLanguage } from '../../../services/users.js';
import { anyChatButton, anyChatCommand, type Route } from '../../dispatch/feature.js';
import { answerCallback, editOrReply, replyHtml } from '../../ui/reply.js';
import { languagePick } from './callbacks.js';
import { registerStart } from '../registration/callbacks.js';
import type { BotContext } from '../../context.js';
import type { InlineKeyboardMarkup } from 'telegraf/types';

export function languageKeyboard() {
  return Markup.inlineKeyboard([LANGUAGES.map((l) => Markup.button.callback(translator(l)('meta.name'), languagePick.pack({ lang: l })))]);
}

/** In any chat: where nobody's language can be saved (a group), the button says "unknown language". */
export const languageRoutes: readonly Route[] = [
  anyChatCommand(['bahasa', 'language'], (ctx) => replyHtml(ctx, ctx.t('language.prompt'), languageKeyboard().reply_markup)),
  anyChatButton(languagePick, async (ctx, { lang: wanted }) => {
    if (!isLang(wanted) || !ctx.user) {
      await answerCallback(ctx, ctx.t('language.unknown'), true);
      return;
    }
    const user = await chooseLanguage(ctx.app.db, ctx.user.id, wanted);
    if (!user) {
      await answerCallback(ctx, ctx.t('common.error'), true);
      return;
    }
    ctx.user = user;
    ctx.lang = wanted;
    ctx.t = translator(wanted);
    await answerCallback(ctx);
    await editOrReply(ctx, `${ctx.t('language.changed')}\n${ctx.t('start.nextSteps')}`, keptRegisterOffer(ctx));
  }),
];

/**
 * /start's welcome carries the language choice and the offer to register in one message; the edit that
 * confirms the language must not take the offer away (it is read off the pressed message: no query).
 */
function keptRegisterOffer(ctx: BotContext): InlineKeyboardMarkup | undefined {
  const message = ctx.callbackQuery?.message;
  const rows = message && 'reply_markup' in message ? (message.reply_markup?.inline_keyboard ?? []) : [];
  const offered = rows.flat().some((b) => 'callback_data' in b && registerStart.match(b.callback_data) !== undefined);
  return offered ? { inline_keyboard: [[{ text: ctx.t('register.offer'), callback_data: registerStart.pack() }]] } : undefined;
}
