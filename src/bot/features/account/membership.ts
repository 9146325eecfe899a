import { userBlockedBot } from '../../../services/users.js';
import { onMyChatMember, type Route } from '../../dispatch/feature.js';
import { groupMembershipChanged } from '../groups/feature.js';

/**
 * Private-chat block/unblock events keep the users table's reachability honest; a group's (the bot
 * added, removed, muted) are the campaign groups' (issue 18). One route owns the update kind.
 */
export const membershipRoutes: readonly Route[] = [
  onMyChatMember(async (ctx) => {
    const upd = ctx.myChatMember;
    if (upd.chat.type === 'group' || upd.chat.type === 'supergroup') return groupMembershipChanged(ctx);
    if (upd.chat.type !== 'private') return;
    if (upd.new_chat_member.status === 'kicked') await userBlockedBot(ctx.app.db, BigInt(upd.from.id));
    // 'member' (unblocked) needs nothing: the upsert in userAndLocale already marked them active.
  }),
];
