import type { Update } from 'telegraf/types';
import { chatMigrated, chatRenamed, endChatLinks } from '../../../services/groups.js';
import { anyChatRecogniser, type Recogniser, type UpdateContext } from '../../dispatch/feature.js';
import { replyHtml } from '../../ui/reply.js';
import { isGroupChat } from './chat.js';

/**
 * The bot's own membership in a group (`my_chat_member`, routed here by account/membership.ts, which
 * owns the update kind): removed or muted, every link of the group ends and the officials who made them
 * are told in private; added, the group is told how to link it.
 */
export async function groupMembershipChanged(ctx: UpdateContext<Update.MyChatMemberUpdate>): Promise<void> {
  const upd = ctx.myChatMember;
  if (!isGroupChat(upd.chat)) return;
  const now = ctx.app.now();
  const status = upd.new_chat_member.status;
  const chatId = BigInt(upd.chat.id);
  let ids: number[] = [];
  if (status === 'left' || status === 'kicked') ids = await endChatLinks(ctx.app.db, chatId, 'removed', now);
  else if (status === 'restricted' && !upd.new_chat_member.can_send_messages) ids = await endChatLinks(ctx.app.db, chatId, 'unreachable', now, 'muted');
  else if ((status === 'member' || status === 'administrator') && (upd.old_chat_member.status === 'left' || upd.old_chat_member.status === 'kicked')) {
    await replyHtml(ctx, ctx.t('groups.addedHint', { bot: ctx.me }));
  }
  if (ids.length) await ctx.app.outbox.enqueue(ids);
}

/**
 * A group upgraded to a supergroup: Telegram posts `migrate_to_chat_id` in the old chat and
 * `migrate_from_chat_id` in the new one. Either moves the links (the second finds nothing left to move).
 */
export const groupMigration: Recogniser = anyChatRecogniser(
  'group migration',
  (ctx) => {
    const m = ctx.message;
    if ('migrate_to_chat_id' in m) return { from: BigInt(m.chat.id), to: BigInt(m.migrate_to_chat_id) };
    if ('migrate_from_chat_id' in m) return { from: BigInt(m.migrate_from_chat_id), to: BigInt(m.chat.id) };
    return undefined;
  },
  async (ctx, { from, to }) => {
    const ids = await chatMigrated(ctx.app.db, from, to, ctx.app.now());
    if (ids.length) await ctx.app.outbox.enqueue(ids);
  },
);

/** A group renamed (`new_chat_title`, a service message every bot gets, privacy mode or not): its links follow the name. */
export const groupRenamed: Recogniser = anyChatRecogniser(
  'group renamed',
  (ctx) => {
    const m = ctx.message;
    return 'new_chat_title' in m && isGroupChat(m.chat) ? { chatId: BigInt(m.chat.id), title: m.new_chat_title } : undefined;
  },
  async (ctx, { chatId, title }) => {
    await chatRenamed(ctx.app.db, chatId, title);
  },
);
