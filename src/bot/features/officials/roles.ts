import { formatDeadline } from '../../../domain/deadline.js';
import { createInvite, listOfficials, revokeOfficial } from '../../../services/roles.js';
import type { PrivateContext } from '../../context.js';
import { privateButton, privateCommand, type Route } from '../../dispatch/feature.js';
import { answerCallback, replyHtml } from '../../ui/reply.js';
import { officialRevoke } from './callbacks.js';
import { refuse } from './guard.js';
import { setMenuButton } from './web-app.js';

async function showOfficials(ctx: PrivateContext): Promise<void> {
  const r = await listOfficials(ctx.app.db, ctx.user.id);
  if (!r.ok) return refuse(ctx, 'admin');
  const lines = [ctx.t('officials.listTitle', { count: r.value.length })];
  if (r.value.length === 0) lines.push(ctx.t('officials.listEmpty'));
  for (const o of r.value) lines.push(ctx.t('officials.listLine', { name: o.displayName, id: String(o.id) }));
  await replyHtml(ctx, lines.join('\n'), {
    inline_keyboard: r.value.slice(0, 50).map((o) => [{ text: ctx.t('officials.revokeButton', { name: o.displayName.slice(0, 30) }), callback_data: officialRevoke.pack({ user: o.id }) }]),
  });
}

// Officials act only in private chats with their own identity: never a group, a channel or the
// anonymous group admin (private routes run only for real people in private chats, their user loaded).
export const roleRoutes: readonly Route[] = [
  privateCommand(['undang', 'invite'], async (ctx) => {
    const r = await createInvite(ctx.app.db, ctx.user.id, ctx.app.now());
    if (!r.ok) return refuse(ctx, 'admin');
    const link = `https://t.me/${ctx.botInfo.username}?start=inv_${r.value.token}`;
    await replyHtml(ctx, ctx.t('officials.inviteCreated', { link, until: formatDeadline(r.value.expiresAt, ctx.user.timeZone, ctx.lang) }));
  }),
  privateCommand(['pejabat', 'officials'], showOfficials),
  privateButton(officialRevoke, async (ctx, { user }) => {
    const r = await revokeOfficial(ctx.app.db, ctx.user.id, user);
    if (!r.ok) {
      if (r.error === 'forbidden') return refuse(ctx, 'admin');
      return answerCallback(ctx, ctx.t('officials.notOfficial'), true);
    }
    await answerCallback(ctx);
    await replyHtml(ctx, ctx.t('officials.revoked', { name: r.value.displayName }));
    // Their chat's menu button goes back to the commands; their app session is refused from now on.
    await setMenuButton(ctx.telegram, ctx.app.config, ctx.log, r.value);
  }),
];
