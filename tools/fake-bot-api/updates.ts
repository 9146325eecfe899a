/**
 * Update builders: the updates Telegram would deliver when a user writes, presses an inline button, shares
 * a contact or sends a photo or a document, ready for `FakeBotApi.pushUpdate` or for a bot's `handleUpdate`.
 */
import type { CallbackQuery, Chat, Document, InlineQuery, Message, PhotoSize, Update, User } from 'telegraf/types';
import { BOT_FIRST_NAME, BOT_USERNAME, DEFAULT_TOKEN, botIdFromToken } from './identity.js';

export interface TestUser { id: number; first_name: string; username?: string; language_code?: string }

let builderUpdateId = 700_000_000;
let builderMessageId = 500_000;
let builderCallbackId = 1;
let builderInlineId = 1;

function toUser(user: TestUser): User {
  const u: User = { id: user.id, is_bot: false, first_name: user.first_name };
  if (user.username !== undefined) u.username = user.username;
  if (user.language_code !== undefined) u.language_code = user.language_code;
  return u;
}

type ChatType = 'private' | 'group' | 'supergroup';

type UserChat = Exclude<Chat, Chat.ChannelChat>;

function chatOf(user: TestUser, chatId?: number, chatType: ChatType = 'private'): UserChat {
  if (chatType === 'group') return { id: chatId ?? -4_000_000_001, type: 'group', title: 'Test group' };
  if (chatType === 'supergroup') {
    return { id: chatId ?? -1_001_234_567_890, type: 'supergroup', title: 'Test supergroup' };
  }
  const chat: Chat.PrivateChat = { id: chatId ?? user.id, type: 'private', first_name: user.first_name };
  if (user.username !== undefined) chat.username = user.username;
  return chat;
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/**
 * A message of the bot's that a user's message replies to (Telegram's `reply_to_message`, filled when
 * the user swipes a message to answer it). `botId` defaults to the fake's default token's bot.
 */
export interface ReplyTo { messageId: number; botId?: number; text?: string }

function repliedMessage(chat: UserChat, r: ReplyTo): Message.TextMessage & { reply_to_message: undefined } {
  return {
    reply_to_message: undefined,
    message_id: r.messageId,
    from: { id: r.botId ?? botIdFromToken(DEFAULT_TOKEN), is_bot: true, first_name: BOT_FIRST_NAME, username: BOT_USERNAME },
    chat,
    date: nowSeconds(),
    text: r.text ?? '…',
  };
}

/**
 * A text message from `user`. Text starting with a command (`/start`,
 * `/start@etalase_test_bot`) gets a `bot_command` entity like Telegram adds.
 */
export function textUpdate(
  user: TestUser,
  text: string,
  opts: { chatId?: number; chatType?: ChatType; chatTitle?: string; replyTo?: ReplyTo } = {},
): Update.MessageUpdate<Message.TextMessage> {
  const chat = chatOf(user, opts.chatId, opts.chatType);
  if (opts.chatTitle !== undefined && 'title' in chat) chat.title = opts.chatTitle;
  const message: Update.MessageUpdate<Message.TextMessage>['message'] = {
    message_id: builderMessageId++,
    from: toUser(user),
    chat,
    date: nowSeconds(),
    text,
  };
  if (opts.replyTo) message.reply_to_message = repliedMessage(chat, opts.replyTo);
  const cmd = /^\/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@])/.exec(text);
  if (cmd) message.entities = [{ type: 'bot_command', offset: 0, length: cmd[0].length }];
  return { update_id: builderUpdateId++, message };
}

/**
 * A press on an inline button with `data`, on a bot message `messageId`
 * (default 1) in chat `chatId` (default: the user's private chat).
 */
export function callbackUpdate(
  user: TestUser,
  data: string,
  opts: { messageId?: number; chatId?: number; chatType?: ChatType; chatTitle?: string } = {},
): Update.CallbackQueryUpdate<CallbackQuery.DataQuery> {
  const chat = chatOf(user, opts.chatId, opts.chatType ?? (opts.chatId !== undefined && opts.chatId < 0 ? 'supergroup' : 'private'));
  if (opts.chatTitle !== undefined && 'title' in chat) chat.title = opts.chatTitle;
  const message: Message.TextMessage = {
    message_id: opts.messageId ?? 1,
    from: { id: botIdFromToken(DEFAULT_TOKEN), is_bot: true, first_name: BOT_FIRST_NAME, username: BOT_USERNAME },
    chat,
    date: nowSeconds(),
    text: '…',
  };
  return {
    update_id: builderUpdateId++,
    callback_query: {
      id: `${user.id}${String(builderCallbackId++).padStart(6, '0')}`,
      from: toUser(user),
      message,
      chat_instance: `-${Math.abs(chat.id)}77`,
      data,
    },
  };
}

/** The user shares a contact (e.g. via a `request_contact` keyboard button; pass `user_id: user.id` for that). */
export function contactUpdate(
  user: TestUser,
  contact: { phone_number: string; user_id?: number; first_name?: string },
  opts: { chatId?: number } = {},
): Update.MessageUpdate<Message.ContactMessage> {
  const c: Message.ContactMessage['contact'] = {
    phone_number: contact.phone_number,
    first_name: contact.first_name ?? user.first_name,
  };
  if (contact.user_id !== undefined) c.user_id = contact.user_id;
  return {
    update_id: builderUpdateId++,
    message: {
      message_id: builderMessageId++,
      from: toUser(user),
      chat: chatOf(user, opts.chatId),
      date: nowSeconds(),
      contact: c,
    },
  };
}

/** A photo (three sizes, largest last as in Telegram) with an optional caption. */
export function photoUpdate(
  user: TestUser,
  opts: { caption?: string; chatId?: number; replyTo?: ReplyTo } = {},
): Update.MessageUpdate<Message.PhotoMessage> {
  const n = builderMessageId++;
  const sizes: [number, number, number][] = [[90, 68, 1_520], [320, 240, 17_430], [1280, 960, 151_220]];
  const photo: PhotoSize[] = sizes.map(([width, height, file_size], idx) => ({
    file_id: `AgACAgIAAxkBAAI${n}_${idx}_photo`,
    file_unique_id: `AQAD${n}${idx}`,
    width,
    height,
    file_size,
  }));
  const message: Update.MessageUpdate<Message.PhotoMessage>['message'] = {
    message_id: n,
    from: toUser(user),
    chat: chatOf(user, opts.chatId),
    date: nowSeconds(),
    photo,
  };
  if (opts.caption !== undefined) message.caption = opts.caption;
  if (opts.replyTo) message.reply_to_message = repliedMessage(message.chat, opts.replyTo);
  return { update_id: builderUpdateId++, message };
}

/** A document (e.g. one stored with `FakeBotApi.putFile`, so the bot can getFile it) with an optional caption. */
export function documentUpdate(
  user: TestUser,
  document: Document,
  opts: { caption?: string; chatId?: number; replyTo?: ReplyTo } = {},
): Update.MessageUpdate<Message.DocumentMessage> {
  const message: Update.MessageUpdate<Message.DocumentMessage>['message'] = {
    message_id: builderMessageId++,
    from: toUser(user),
    chat: chatOf(user, opts.chatId),
    date: nowSeconds(),
    document,
  };
  if (opts.caption !== undefined) message.caption = opts.caption;
  if (opts.replyTo) message.reply_to_message = repliedMessage(message.chat, opts.replyTo);
  return { update_id: builderUpdateId++, message };
}

/**
 * The user edited their message `original` (as built by `textUpdate`) into `text`: Telegram sends an
 * `edited_message` with the same message id and date, and the moment of the edit as `edit_date`.
 */
export function editedTextUpdate(original: Update.MessageUpdate<Message.TextMessage>, text: string): Update.EditedMessageUpdate {
  const message = { ...original.message, text, edit_date: nowSeconds() };
  const cmd = /^\/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@])/.exec(text);
  if (cmd) message.entities = [{ type: 'bot_command', offset: 0, length: cmd[0].length }];
  else delete message.entities;
  return { update_id: builderUpdateId++, edited_message: message };
}

/** Telegram's stand-in sender of an anonymous group admin's messages (`@GroupAnonymousBot`). */
export const ANONYMOUS_ADMIN: User = { id: 1087968824, is_bot: true, first_name: 'Group', username: 'GroupAnonymousBot' };

interface GroupChatRef { id: number; type: 'group' | 'supergroup'; title?: string }

function groupChat(chat: GroupChatRef): Chat.GroupChat | Chat.SupergroupChat {
  return { id: chat.id, type: chat.type, title: chat.title ?? (chat.type === 'group' ? 'Test group' : 'Test supergroup') };
}

/** A text an anonymous admin posts in a group: `from` is @GroupAnonymousBot, `sender_chat` the group itself. */
export function anonymousAdminTextUpdate(chat: GroupChatRef, text: string): Update.MessageUpdate<Message.TextMessage> {
  const c = groupChat(chat);
  const message = { message_id: builderMessageId++, from: ANONYMOUS_ADMIN, sender_chat: c, chat: c, date: nowSeconds(), text } as Update.MessageUpdate<Message.TextMessage>['message'];
  const cmd = /^\/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@])/.exec(text);
  if (cmd) message.entities = [{ type: 'bot_command', offset: 0, length: cmd[0].length }];
  return { update_id: builderUpdateId++, message };
}

export type MemberStatus = 'member' | 'administrator' | 'left' | 'kicked' | 'restricted';

/**
 * The bot's own membership in a chat changed (`my_chat_member`), done by `by`: added to a group
 * (`left` → `member`), removed (`member` → `left`/`kicked`), muted (`restricted`, no sending).
 */
export function myChatMemberUpdate(by: TestUser, chat: GroupChatRef, from: MemberStatus, to: MemberStatus): Update.MyChatMemberUpdate {
  const bot: User = { id: botIdFromToken(DEFAULT_TOKEN), is_bot: true, first_name: BOT_FIRST_NAME, username: BOT_USERNAME };
  const member = (status: MemberStatus) =>
    status === 'restricted'
      ? { status, user: bot, is_member: true, can_send_messages: false, can_send_audios: false, can_send_documents: false, can_send_photos: false, can_send_videos: false, can_send_video_notes: false, can_send_voice_notes: false, can_send_polls: false, can_send_other_messages: false, can_add_web_page_previews: false, can_change_info: false, can_invite_users: false, can_pin_messages: false, can_manage_topics: false, until_date: 0 }
      : status === 'administrator'
        ? { status, user: bot, can_be_edited: false, is_anonymous: false, can_manage_chat: true, can_delete_messages: false, can_manage_video_chats: false, can_restrict_members: false, can_promote_members: false, can_change_info: false, can_invite_users: false, can_post_stories: false, can_edit_stories: false, can_delete_stories: false }
        : status === 'kicked'
          ? { status, user: bot, until_date: 0 }
          : { status, user: bot };
  return {
    update_id: builderUpdateId++,
    my_chat_member: { chat: groupChat(chat), from: toUser(by), date: nowSeconds(), old_chat_member: member(from), new_chat_member: member(to) },
  } as Update.MyChatMemberUpdate;
}

/**
 * A group upgraded to a supergroup, as Telegram tells it: a service message in the old group naming
 * `migrate_to_chat_id`, and one in the new supergroup naming `migrate_from_chat_id`.
 */
export function migrationUpdates(by: TestUser, oldChatId: number, newChatId: number, title = 'Test group'): [Update.MessageUpdate, Update.MessageUpdate] {
  const to = { message_id: builderMessageId++, from: toUser(by), chat: groupChat({ id: oldChatId, type: 'group', title }), date: nowSeconds(), migrate_to_chat_id: newChatId };
  const from = { message_id: 1, from: toUser(by), chat: groupChat({ id: newChatId, type: 'supergroup', title }), date: nowSeconds(), migrate_from_chat_id: oldChatId };
  return [{ update_id: builderUpdateId++, message: to }, { update_id: builderUpdateId++, message: from }];
}

/** `by` renamed a group: Telegram posts a `new_chat_title` service message in it. */
export function chatTitleUpdate(by: TestUser, chatId: number, title: string): Update.MessageUpdate {
  return { update_id: builderUpdateId++, message: { message_id: builderMessageId++, from: toUser(by), chat: groupChat({ id: chatId, type: 'group', title }), date: nowSeconds(), new_chat_title: title } };
}

/**
 * `user` typed `@<bot> query` in a chat of `chatType` (default: a group): Telegram sends an
 * `inline_query` with no chat at all, only who is typing and the kind of chat. The answer is
 * `FakeBotApi.inlineAnswer(update.inline_query.id)`.
 */
export function inlineQueryUpdate(
  user: TestUser,
  query: string,
  opts: { chatType?: InlineQuery['chat_type']; offset?: string } = {},
): Update.InlineQueryUpdate {
  const inline: InlineQuery = {
    id: `${user.id}${String(builderInlineId++).padStart(6, '0')}`,
    from: toUser(user),
    query,
    offset: opts.offset ?? '',
  };
  inline.chat_type = opts.chatType ?? 'group';
  return { update_id: builderUpdateId++, inline_query: inline };
}
