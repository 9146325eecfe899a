import { describe, expect, it } from 'vitest';
import { TelegramError } from 'telegraf';
import { classifySendError } from '../../src/jobs/telegram-errors.js';

const refused = (error_code: number, description: string, parameters?: Record<string, number>) =>
  new TelegramError({ error_code, description, ...(parameters ? { parameters } : {}) });

// What a refused send means for a campaign group's row (issue 18): moved, ended, never retried forever.
describe('a group refusing the bot', () => {
  it('"upgraded to a supergroup" with the new id is a move, not a failure', () => {
    expect(classifySendError(refused(400, 'Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: -1001234 }))).toEqual({
      kind: 'migrated',
      newChatId: -1001234,
      reason: 'Bad Request: group chat was upgraded to a supergroup chat',
    });
  });

  it('kicked (403) and muted (400 "not enough rights") are unreachable: no retry', () => {
    expect(classifySendError(refused(403, 'Forbidden: bot was kicked from the group chat')).kind).toBe('unreachable');
    expect(classifySendError(refused(400, 'Bad Request: not enough rights to send text messages to the chat')).kind).toBe('unreachable');
    expect(classifySendError(refused(400, 'Bad Request: CHAT_WRITE_FORBIDDEN')).kind).toBe('unreachable');
  });

  it('any other 400 stays a rejected message, and a 400 naming no new chat is not a move', () => {
    expect(classifySendError(refused(400, 'Bad Request: message is too long')).kind).toBe('rejected');
    expect(classifySendError(refused(400, 'Bad Request: group chat was upgraded to a supergroup chat')).kind).toBe('rejected');
  });
});
