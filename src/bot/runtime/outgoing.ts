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
type ApiMethod = Parameters<Telegram['callApi']>[0];
type ApiPayload = Parameters<Telegram['callApi']>[1];

export class OutgoingCalls {
  private seq = 0;
  private held: { seq: number; call: WebhookCall; perform: Perform } | undefined;
  private immediate = 0;
  private direct: ((method: ApiMethod, payload: ApiPayload) => Promise<unknown>) | undefined;

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

  /**
   * The answer an earlier attempt held for its acknowledgement but may never have given (it died
   * first). It was never made over HTTP, so the journal (whose positions belong to that attempt's
   * other calls) is not consulted: it is held again, or made now where nothing can carry it.
   */
  async answerAgain(call: WebhookCall): Promise<void> {
    const direct = this.direct;
    if (!direct) throw new Error('answerAgain before install');
    const { method, ...params } = call;
    const perform = () => direct(method as ApiMethod, params);
    await this.flush();
    if (this.canHold) this.held = { seq: this.seq++, call, perform };
    else await perform();
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
    this.direct = direct;
    const routed = (method: ApiMethod, payload: ApiPayload, opts?: Parameters<Telegram['callApi']>[2]) => this.call(method, payload, () => direct(method, payload, opts));
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

/** Gives a recorded answer again (see `OutgoingCalls.answerAgain`); `telegram` is the update's client. */
export async function answerAgain(update: Update, telegram: Telegram, call: WebhookCall): Promise<void> {
  const calls = attempts.get(update);
  if (calls) return calls.answerAgain(call);
  const { method, ...params } = call;
  await telegram.callApi(method as ApiMethod, params);
}

/** No journal: every call is new (direct `bot.handleUpdate` in tests, or a gate without memory). */
export const NO_JOURNAL: CallJournal = { replay: () => ({ found: false }), record: () => undefined };
