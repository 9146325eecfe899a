import { TelegramError, type Telegram } from 'telegraf';
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
const HOLDABLE = new Set(['sendMessage', 'editMessageText', 'editMessageReplyMarkup', 'answerCallbackQuery', 'deleteMessage', 'sendChatAction', 'answerInlineQuery']);

/** What a held call resolves to (telegraf's webhook-reply stub has the same shape). */
export const HELD_RESULT = Object.freeze({ webhook: true as const, held: true as const });

type Perform = () => Promise<unknown>;

/**
 * Telegram limits one chat to about a message a second and answers a burst with 429 and
 * `retry_after`. A reply refused so is waited for and sent again while the waits add up to at most
 * this much (a few seconds: the chat's lock is held meanwhile, and the next update of the chat waits).
 */
export const MAX_REPLY_WAIT_MS = 5_000;

/** Methods whose 429 is waited for and retried: sending or changing a message in the user's chat. */
const RETRIABLE = new Set(['sendMessage', 'editMessageText', 'editMessageReplyMarkup', 'sendPhoto', 'sendDocument', 'answerCallbackQuery', 'deleteMessage']);

/** `retry_after` of a 429 answer, in ms; undefined for any other outcome. */
export function retryAfterMs(err: unknown): number | undefined {
  if (!(err instanceof TelegramError) || err.code !== 429) return undefined;
  return Math.max(1, err.parameters?.retry_after ?? 1) * 1000;
}

/**
 * Where a call goes whose `retry_after` is past the bound: out of the handler, so the chat's lock is
 * let go. It gets the call as the webhook answer would carry it, and its position in the update (`seq`,
 * which keys a durable hand-off: a redelivered update makes the same call at the same position). A
 * promise it returns is awaited before the handler goes on, so a hand-off written to the database is
 * committed before the update can be marked done; it must settle quickly and never reject.
 */
export type LateCalls = (call: WebhookCall, perform: Perform, afterMs: number, seq: number) => void | Promise<void>;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The default for `LateCalls`: sent again by this process after `retry_after`, its failure told to the
 * caller's `onLost`. It lives as long as the process does, so the pipeline uses it only for what the
 * delivery engine cannot carry (see `lateCallsOf`).
 */
export function laterInProcess(onLost: (err: unknown) => void): LateCalls {
  return (_call, perform, afterMs) => {
    const attempt = async (wait: number, tries: number): Promise<void> => {
      await sleep(wait);
      try {
        await perform();
      } catch (err) {
        const again = retryAfterMs(err);
        if (again !== undefined && tries < 5) return attempt(again, tries + 1);
        onLost(err);
      }
    };
    void attempt(afterMs, 1);
  };
}

/**
 * A late `sendMessage` in the sender's private chat, as the delivery engine can carry it: text and the
 * options the handler gave (`parse_mode`, `reply_markup`, `entities`, …), to the sender's chat.
 */
export interface LateReply {
  updateId: number;
  /** The call's position in the update: with `updateId`, what makes a redelivered update's reply the same one. */
  seq: number;
  /** The sender, whose private chat this is (the delivery's recipient). */
  userId: number;
  chatId: number;
  text: string;
  options: Record<string, unknown>;
  afterMs: number;
}

/**
 * Writes a late reply to the outbox. Resolves true once its row is committed (whatever becomes of the
 * enqueue after it: the outbox's sweeper picks up a row without a job), false when the reply cannot be
 * carried (an option the delivery payload does not know, a sender without a users row); rejects when
 * the row could not be written.
 */
export type CarryLateReply = (reply: LateReply) => Promise<boolean>;

/** Who sent the update (message, callback, …), when it names one. */
function senderOf(update: Update): number | undefined {
  const u = update as unknown as Partial<Record<string, { from?: { id?: unknown } }>>;
  for (const field of ['message', 'edited_message', 'callback_query', 'my_chat_member', 'chat_member', 'chat_join_request']) {
    const id = u[field]?.from?.id;
    if (typeof id === 'number') return id;
  }
  return undefined;
}

/**
 * The late calls of one update. A `sendMessage` to the sender's private chat becomes a delivery row
 * (`carry`): it survives the process and is sent once, by the engine, at Telegram's pace. Any other call
 * (an edit, a callback answer, a photo: the engine sends only new text messages), a message to a group
 * (no user is its recipient), or a reply `carry` refuses or fails to write, is sent again by this
 * process (`inProcess`). `onDrop` hears of every failure that is not passed on: the in-process resend's
 * (given to `inProcess` by the caller) and a failed write here.
 */
export function lateCallsOf(update: Update, carry: CarryLateReply, inProcess: LateCalls, onDrop: (where: string, err: unknown) => void): LateCalls {
  const sender = senderOf(update);
  return async (call, perform, afterMs, seq) => {
    const { method, chat_id: chatId, text, ...options } = call;
    if (method !== 'sendMessage' || typeof text !== 'string' || sender === undefined || chatId !== sender) return inProcess(call, perform, afterMs, seq);
    let carried = false;
    try {
      carried = await carry({ updateId: update.update_id, seq, userId: sender, chatId: sender, text, options: definedOnly(options), afterMs });
    } catch (err) {
      // Not committed: the reply is not lost for that, it is sent from here instead.
      onDrop('late reply: outbox write', err);
    }
    if (!carried) return inProcess(call, perform, afterMs, seq);
  };
}

/** The options as they go over the wire: the Bot API clients leave out undefined and null fields too. */
function definedOnly(options: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined && v !== null));
}
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
    /**
     * Calls whose 429 asks for a longer wait than `MAX_REPLY_WAIT_MS`. The default sends them again from
     * this process, silently on a second failure: the pipeline passes one that carries replies through
     * the outbox and reports failures (`lateCallsOf`).
     */
    private readonly late: LateCalls = laterInProcess(() => undefined),
  ) {}

  async call(method: string, payload: unknown, perform: Perform): Promise<unknown> {
    const seq = this.seq++;
    const replayed = this.journal.replay(seq);
    if (replayed.found) return replayed.result;
    await this.flush();
    const call: WebhookCall = { method, ...(payload as Record<string, unknown>) };
    if (this.canHold && this.immediate === 0 && HOLDABLE.has(method)) {
      this.held = { seq, call, perform };
      return HELD_RESULT;
    }
    return this.perform(seq, RETRIABLE.has(method) ? this.patient(seq, call, perform) : perform);
  }

  /**
   * `perform`, waiting out 429 answers while the waits stay within `MAX_REPLY_WAIT_MS`. Past that the
   * call is handed to `late` and answered with the held stub (as a webhook answer is), so the handler
   * carries on and the lock is released; a call whose result is read (`withResult`) cannot be, and fails.
   */
  private patient(seq: number, call: WebhookCall, perform: Perform): Perform {
    return async () => {
      let waited = 0;
      for (;;) {
        try {
          return await perform();
        } catch (err) {
          const wait = retryAfterMs(err);
          if (wait === undefined) throw err;
          if (waited + wait > MAX_REPLY_WAIT_MS) {
            if (this.immediate > 0) throw err;
            await this.late(call, perform, wait, seq);
            return HELD_RESULT;
          }
          waited += wait;
          await sleep(wait);
        }
      }
    };
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
    await this.perform(held.seq, RETRIABLE.has(held.call.method) ? this.patient(held.seq, held.call, held.perform) : held.perform);
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
