import { Markup } from 'telegraf';
import { isLang, translator, LANGUAGES } from '../../../locales/index.js';
import { chooseLanguage } from '../../../services/users.js';
import { anyChatButton, anyChatCommand, type Route } from '../../dispatch/feature.js';
import { answerCallback, editOrReply, replyHtml } from '../../ui/reply.js';
import { languagePick } from './callbacks.js';

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
    await editOrReply(ctx, `${ctx.t('language.changed')}\n${ctx.t('start.nextSteps')}`);
  }),
];
