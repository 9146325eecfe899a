import type { Telegram } from 'telegraf';
import type { Update } from 'telegraf/types';

/**
 * Bot API calls of one attempt at one update. Telegram's send methods take no idempotency key, so a
 * process killed after a reply left but before the update was marked done would answer twice when the
 * update comes back. Two things close that window:
 * - **The journal.** Every call made over HTTP is recorded (by its position in the handler) until the
 *   update is done. A later attempt at the same update replays the recorded results instead of calling
 *   Telegram again, so a message already sent is not sent again. Handlers are deterministic given what
 *   is committed, so call number n of the retry is call number n of the crashed attempt.
 * - **The webhook answer.** In webhook mode the last call of an update is not made at all: it rides in
 *   the HTTP response that acknowledges the update (Telegram's "reply to the webhook"). Acknowledging
 *   and answering are then one event: either both happen or Telegram redelivers and nothing was sent.
 *
 * A held call resolves at once with a stub (as telegraf's own webhook reply does), so only calls whose
 * result nobody reads may be held; code that needs a result wraps the call in `withResult`.
 */
export type WebhookCall = { method: string } & Record<string, unknown>;

export interface CallJournal {
  /** The result of call number `seq` if an earlier attempt at this update made it. */
  replay(seq: number): { found: true; result: unknown } | { found: false };
  record(seq: number, result: unknown): void;
}

/** Methods that carry no file and whose result our handlers ignore (unless inside `withResult`). */
const HOLDABLE = new Set(['sendMessage', 'editMessageText', 'editMessageReplyMarkup', 'answerCallbackQuery', 'deleteMessage', 'sendChatAction']);

/** What a held call resolves to (telegraf's webhook-reply stub has the same shape). */
export const HELD_RESULT = Object.freeze({ webhook: true as const, held: true as const });

type Perform = () => Promise<unknown>;

export class OutgoingCalls {
  private seq = 0;
  private held: { seq: number; call: WebhookCall; perform: Perform } | undefined;
  private immediate = 0;

  constructor(
    private readonly journal: CallJournal,
    /** True when the transport can carry one call in its acknowledgement (webhook mode). */
    private readonly canHold: boolean,
  ) {}

  async call(method: string, payload: unknown, perform: Perform): Promise<unknown> {
    const seq = this.seq++;
    const replayed = this.journal.replay(seq);
    if (replayed.found) return replayed.result;
    await this.flush();
    if (this.canHold && this.immediate === 0 && HOLDABLE.has(method)) {
      this.held = { seq, call: { method, ...(payload as Record<string, unknown>) }, perform };
      return HELD_RESULT;
    }
    return this.perform(seq, perform);
  }

  /** Makes the held call over HTTP (another call follows it, or no webhook answer can carry it). */
  async flush(): Promise<void> {
    const held = this.held;
    if (!held) return;
    this.held = undefined;
    await this.perform(held.seq, held.perform);
  }

  /** The call to put in the webhook answer, if one is held. */
  heldCall(): WebhookCall | undefined {
    return this.held?.call;
  }

  /** Runs `fn` with holding off: its calls go out at once and return Telegram's real result. */
  async withResult<T>(fn: () => Promise<T>): Promise<T> {
    this.immediate += 1;
    try {
      return await fn();
    } finally {
      this.immediate -= 1;
    }
  }

  /** Routes every call made through `telegram` (one update's client) through this attempt. */
  install(telegram: Telegram): void {
    const direct = telegram.callApi.bind(telegram);
    const routed = (method: Parameters<Telegram['callApi']>[0], payload: Parameters<Telegram['callApi']>[1], opts?: Parameters<Telegram['callApi']>[2]) =>
      this.call(method, payload, () => direct(method, payload, opts));
    telegram.callApi = routed as Telegram['callApi'];
  }

  private async perform(seq: number, perform: Perform): Promise<unknown> {
    const result = await perform();
    this.journal.record(seq, result);
    return result;
  }
}

// The update object is the one telegraf hands to the context, so it links an attempt to its handlers.
const attempts = new WeakMap<Update, OutgoingCalls>();

export function attachOutgoing(update: Update, calls: OutgoingCalls): void {
  attempts.set(update, calls);
}

export function outgoingFor(update: Update): OutgoingCalls | undefined {
  return attempts.get(update);
}

/** For the few calls whose result is read (a message id kept for later edits): never held. */
export function withResult<T>(update: Update, fn: () => Promise<T>): Promise<T> {
  const calls = attempts.get(update);
  return calls ? calls.withResult(fn) : fn();
}

/** Makes a recorded call again through `telegram` (so it is journaled, or held, like any other). */
export function callAgain(telegram: Telegram, call: WebhookCall): Promise<unknown> {
  const { method, ...params } = call;
  type Method = Parameters<Telegram['callApi']>[0];
  return telegram.callApi(method as Method, params as Parameters<Telegram['callApi']>[1]);
}

/** No journal: every call is new (direct `bot.handleUpdate` in tests, or a gate without memory). */
export const NO_JOURNAL: CallJournal = { replay: () => ({ found: false }), record: () => undefined };
