/**
 * A fake Telegram Bot API server for tests. Telegraf talks to it through
 * `new Telegraf(token, { telegram: { apiRoot: fake.apiRoot } })`; nothing ever
 * reaches api.telegram.org.
 *
 * It answers the way Telegram does (same HTTP status codes, same `{ ok, result }` /
 * `{ ok: false, error_code, description, parameters }` bodies, same validation of
 * text length, HTML markup and callback_data size) so bot bugs show up in tests.
 *
 * - `server.ts`: the `FakeBotApi` HTTP server, its call log and its fault injection
 * - `html-check.ts`: Telegram's HTML parse-mode rules (`parseTelegramHtml`, `checkTelegramHtml`)
 * - `updates.ts`: update builders (`textUpdate`, `editedTextUpdate`, `callbackUpdate`, `contactUpdate`, `photoUpdate`,
 *   `documentUpdate`; a message may reply to one of the bot's with `replyTo`; for groups `anonymousAdminTextUpdate`, `myChatMemberUpdate`, `migrationUpdates`; `inlineQueryUpdate`)
 * - groups refusing the bot: `kickFromGroup`, `muteInGroup`, `upgradeGroup` (400 with `migrate_to_chat_id`)
 * - `inline.ts`: `answerInlineQuery`'s checks and what `FakeBotApi.inlineAnswer` returns
 * - `multipart.ts`: the multipart/form-data parser for uploads
 * - `identity.ts`: the fake bot's default token and names
 */
export { BOT_FIRST_NAME, BOT_USERNAME, DEFAULT_TOKEN, botIdFromToken } from './identity.js';
export { checkTelegramHtml, parseTelegramHtml, type HtmlEntity, type HtmlParseResult } from './html-check.js';
export {
  ANONYMOUS_ADMIN,
  anonymousAdminTextUpdate,
  migrationUpdates,
  chatTitleUpdate,
  myChatMemberUpdate,
  type MemberStatus,
  callbackUpdate,
  contactUpdate,
  documentUpdate,
  editedTextUpdate,
  inlineQueryUpdate,
  photoUpdate,
  textUpdate,
  type ReplyTo,
  type TestUser,
} from './updates.js';
export { parseMultipart, type UploadedFile } from './multipart.js';
export { type InlineAnswer, type InlineResult } from './inline.js';
export {
  FakeBotApi,
  type InjectedError,
  type MessageMethod,
  type PutFile,
  type RecordedCall,
  type RecordedMessage,
  type SentDocument,
} from './server.js';
