import { describe, expect, it } from 'vitest';
import { HELD_RESULT, OutgoingCalls, type CallJournal } from '../../src/bot/runtime/outgoing.js';

/** A journal in memory, and a log of the calls that really went out, in order. */
function setup(earlier: Record<number, unknown> = {}, canHold = true) {
  const recorded = new Map<number, unknown>();
  const journal: CallJournal = {
    replay: (seq) => (seq in earlier ? { found: true, result: earlier[seq] } : { found: false }),
    record: (seq, result) => void recorded.set(seq, result),
  };
  const sent: string[] = [];
  const calls = new OutgoingCalls(journal, canHold);
  const make = (method: string, text: string) => calls.call(method, { chat_id: 1, text }, async () => {
    sent.push(`${method}:${text}`);
    return { message_id: sent.length };
  });
  return { calls, make, sent, recorded };
}

describe('OutgoingCalls', () => {
  it('holds the latest holdable call and sends the one before it first, in order', async () => {
    const { calls, make, sent, recorded } = setup();
    expect(await make('sendMessage', 'a')).toBe(HELD_RESULT);
    expect(sent).toEqual([]);
    await make('sendMessage', 'b');
    expect(sent).toEqual(['sendMessage:a']);
    expect(calls.heldCall()).toEqual({ method: 'sendMessage', chat_id: 1, text: 'b' });
    expect([...recorded.keys()]).toEqual([0]);
  });

  it('never holds a call whose result is read, nor a method outside the list (files, reads)', async () => {
    const { calls, make, sent } = setup();
    expect(await calls.withResult(() => make('sendMessage', 'progress'))).toEqual({ message_id: 1 });
    expect(await make('sendPhoto', 'chart')).toEqual({ message_id: 2 });
    expect(sent).toEqual(['sendMessage:progress', 'sendPhoto:chart']);
    expect(calls.heldCall()).toBeUndefined();
  });

  it('replays what an earlier attempt made, by position, without calling again', async () => {
    const { make, sent } = setup({ 0: { message_id: 41 } }, false);
    expect(await make('sendMessage', 'a')).toEqual({ message_id: 41 });
    expect(await make('sendMessage', 'b')).toEqual({ message_id: 1 });
    expect(sent).toEqual(['sendMessage:b']);
  });

  it('without an acknowledgement to ride (polling), every call goes out at once and is journaled', async () => {
    const { make, sent, recorded, calls } = setup({}, false);
    await make('sendMessage', 'a');
    await make('answerCallbackQuery', 'b');
    expect(sent).toEqual(['sendMessage:a', 'answerCallbackQuery:b']);
    expect([...recorded.keys()]).toEqual([0, 1]);
    expect(calls.heldCall()).toBeUndefined();
  });

  it('flush sends the held call when no acknowledgement could carry it', async () => {
    const { calls, make, sent } = setup();
    await make('editMessageText', 'x');
    await calls.flush();
    expect(sent).toEqual(['editMessageText:x']);
    expect(calls.heldCall()).toBeUndefined();
  });
});
