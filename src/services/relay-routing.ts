import type { Db } from '../db/client.js';
import { findUser } from '../db/queries/users.js';
import type { RelaySource } from '../domain/relay.js';
import { campaignGroupLinks } from './groups.js';
import { teamAlertRecipients } from './team.js';

/**
 * Where a relayed question is delivered: a chat, and whom the delivery row is addressed to: a person
 * (`recipientId`, their private chat) or a campaign's group (`groupLinkId`), never both.
 */
export type RelayTarget = { chatId: bigint; recipientId: bigint; groupLinkId: null } | { chatId: bigint; recipientId: null; groupLinkId: number };

/**
 * Who hears an exporter's question: the one place this is decided (issue 18: "to that campaign's group,
 * or, without a group, to the sending official").
 *
 * - A campaign's question goes to its team as it stands now: the creator and the officials they added,
 *   each still an active official or admin (the same people as its alerts), in their private chats.
 * - A broadcast sent to no campaign's audience: its sender, while still an active official or admin.
 *
 * - A campaign with linked groups: those groups instead (the team reads it there, and answers there).
 *
 * Nothing after this depends on the kind of chat: an answer is traced by the chat and message id its
 * reply names, whatever chat that is, and the one who answers is checked against the campaign's team
 * on every answer (`services/relay.ts`), so a group's other members can read but not answer.
 */
export async function relayTargets(db: Db, source: RelaySource): Promise<RelayTarget[]> {
  if (source.campaignId !== null) {
    const groups = await campaignGroupLinks(db, source.campaignId);
    if (groups.length > 0) return groups.map((l) => ({ chatId: l.chatId, recipientId: null, groupLinkId: l.id }));
    const team = (await teamAlertRecipients(db, [source.campaignId])).get(source.campaignId) ?? [];
    // An official's private chat is their user id (as the alerts address them).
    return team.map((id) => ({ chatId: id, recipientId: id, groupLinkId: null }));
  }
  const sender = await findUser(db, BigInt(source.senderId));
  if (sender?.status !== 'active' || (sender.role !== 'official' && sender.role !== 'admin')) return [];
  return [{ chatId: sender.chatId, recipientId: sender.id, groupLinkId: null }];
}
