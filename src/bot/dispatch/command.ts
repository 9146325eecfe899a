import type { Message } from 'telegraf/types';

/**
 * The command a text message names, read exactly as telegraf 4.16's `Composer.command` reads it
 * (node_modules/telegraf/lib/composer.js): only the message's *first* entity counts, it must be a
 * `bot_command` at offset 0, and `/name@user` names a command only when `user` is this bot's username
 * (compared case-insensitively). The name itself is returned as typed: routes compare it
 * case-sensitively, as telegraf does (`/Stok` is not `/stok`). Captions are not read: telegraf's
 * `command` filters on `message('text')`, so a photo captioned `/stok` was never a command.
 *
 * `me` is the bot's username; unknown (getMe has not answered), a `/name@user` form names no command
 * here, where telegraf would have thrown reading `ctx.me.toLowerCase()`.
 */
export function commandName(message: Message.TextMessage, me: string | undefined): string | undefined {
  const entity = message.entities?.[0];
  if (entity?.type !== 'bot_command' || entity.offset > 0) return undefined;
  const [head, to] = message.text.slice(0, entity.length).split('@');
  if (!head) return undefined;
  if (to && to.toLowerCase() !== me?.toLowerCase()) return undefined;
  return head.slice(1);
}
