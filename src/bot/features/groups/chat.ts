import type { Chat } from 'telegraf/types';

/** A group or supergroup: where campaign links live (never a channel, never a private chat). */
export type GroupChat = Chat.GroupChat | Chat.SupergroupChat;

export function isGroupChat(chat: Chat | undefined): chat is GroupChat {
  return chat?.type === 'group' || chat?.type === 'supergroup';
}

/** A button's label from a campaign title: Telegram shows about this much of a button on a phone. */
export function buttonLabel(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
