/** Who the fake bot is: its default token and its name, as `getMe` answers and bot messages carry them. */

export const DEFAULT_TOKEN = '123456789:AAEtalaseFakeTokenForTests_0123456789';
export const BOT_USERNAME = 'etalase_test_bot';
export const BOT_FIRST_NAME = 'Etalase';

/** The bot's user id: the number before the token's colon, as in Telegram. */
export const botIdFromToken = (token: string): number => {
  const id = Number.parseInt(token.split(':')[0] ?? '', 10);
  return Number.isFinite(id) && id > 0 ? id : 123456789;
};
