import type { Telegram } from 'telegraf';
import type { BotCommand } from 'telegraf/types';
import { translator, type Lang } from '../locales/index.js';
import type { Logger } from '../logger.js';

/** The menu Telegram shows next to the input field; each language gets its own command names. */
export function commandMenu(lang: Lang): BotCommand[] {
  const t = translator(lang);
  const names = lang === 'id'
    ? { start: 'start', help: 'bantuan', language: 'bahasa', cancel: 'batal', register: 'daftar', profile: 'profil', newProduct: 'produk_baru', products: 'produk', stock: 'stok', history: 'riwayat', template: 'templat', campaigns: 'kampanye', join: 'ikut', status: 'status', check: 'cek', zone: 'zona' }
    : { start: 'start', help: 'help', language: 'language', cancel: 'cancel', register: 'register', profile: 'profile', newProduct: 'newproduct', products: 'products', stock: 'stock', history: 'history', template: 'template', campaigns: 'campaigns', join: 'join', status: 'status', check: 'check', zone: 'timezone' };
  return [
    { command: names.register, description: t('commands.register') },
    { command: names.profile, description: t('commands.profile') },
    { command: names.newProduct, description: t('commands.newProduct') },
    { command: names.products, description: t('commands.products') },
    { command: names.stock, description: t('commands.stock') },
    { command: names.history, description: t('commands.history') },
    { command: names.template, description: t('commands.template') },
    { command: names.campaigns, description: t('commands.campaigns') },
    { command: names.join, description: t('commands.join') },
    { command: names.status, description: t('commands.status') },
    { command: names.check, description: t('commands.check') },
    { command: names.start, description: t('commands.start') },
    { command: names.help, description: t('commands.help') },
    { command: names.language, description: t('commands.language') },
    { command: names.zone, description: t('commands.zone') },
    { command: names.cancel, description: t('commands.cancel') },
  ];
}

/**
 * The menu in groups: only what works there (linking a campaign group, issue 18). Telegram inserts
 * `/hubungkan@<bot>` when it is tapped, which is what a bot in privacy mode is sent.
 */
export function groupCommandMenu(lang: Lang): BotCommand[] {
  const t = translator(lang);
  return lang === 'id'
    ? [{ command: 'hubungkan', description: t('commands.connect') }, { command: 'putuskan', description: t('commands.disconnect') }]
    : [{ command: 'connect', description: t('commands.connect') }, { command: 'disconnect', description: t('commands.disconnect') }];
}

/** Best effort: a bot whose menu could not be set still works, so a failure is logged, not fatal. */
export async function registerCommandMenus(telegram: Telegram, log: Logger): Promise<boolean> {
  try {
    await telegram.setMyCommands(commandMenu('id'));
    await telegram.setMyCommands(commandMenu('en'), { language_code: 'en' });
    await telegram.setMyCommands(groupCommandMenu('id'), { scope: { type: 'all_group_chats' } });
    await telegram.setMyCommands(groupCommandMenu('en'), { scope: { type: 'all_group_chats' }, language_code: 'en' });
    return true;
  } catch (err) {
    log.warn({ err }, 'setMyCommands failed; continuing without updating the command menu');
    return false;
  }
}
