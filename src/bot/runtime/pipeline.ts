import type { Update } from 'telegraf/types';
import type { Logger } from '../../logger.js';
import { attachOutgoing, OutgoingCalls, type LateCalls, type WebhookCall } from './outgoing.js';
import type { SessionWrite, UpdateGate } from './update-gate.js';

/**
 * How a transport acknowledges a handled update, carrying the update's last Bot API call with it
 * (webhook mode). Resolves false when it could not (the connection is gone): the call is then made
 * over HTTP instead, before the update is marked done.
 */
export type Acknowledge = (call: WebhookCall | undefined) => boolean;

export type Outcome = 'handled' | 'duplicate';

/** Where the gate may read an update's session ahead, and make its write (see `session/primed.ts`). */
export interface SessionReadAhead {
  /** The storage key of the update's session, when it can be known from the update alone. */
  keyOf(update: Update): string | undefined;
  prime(key: string, raw: string | null): void;
  /** Hold the handler's write of this key, for `takeDeferred`. */
  defer(key: string): void;
  takeDeferred(key: string): SessionWrite | undefined;
  forget(key: string): void;
}

/** Which updates must not run side by side: those of one chat (or, failing a chat, one user). */
export function chatKeyOf(update: Update): string {
  const u = update as unknown as Partial<Record<string, { chat?: { id: number }; from?: { id: number }; message?: { chat?: { id: number } } }>>;
  for (const field of ['message', 'edited_message', 'channel_post', 'edited_channel_post', 'my_chat_member', 'chat_member', 'chat_join_request']) {
    const chatId = u[field]?.chat?.id;
    if (chatId !== undefined) return `c${chatId}`;
  }
  const cq = u.callback_query;
  if (cq?.message?.chat?.id !== undefined) return `c${cq.message.chat.id}`;
  for (const field of ['callback_query', 'inline_query', 'chosen_inline_result', 'pre_checkout_query', 'shipping_query']) {
    const fromId = u[field]?.from?.id;
    if (fromId !== undefined) return `u${fromId}`;
  }
  return `x${update.update_id}`;
}

/**
 * De-duplicates, serialises per chat, and runs the handler. A handler error that reaches here is an
 * infrastructure failure (telegraf's catch handled everything else): the gate gives the claim back so
 * a redelivery is handled, and the error goes to the transport (webhook 503 / polling keeps the offset).
 */
export class UpdatePipeline {
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly handle: (update: Update) => Promise<void>,
    private readonly gate: UpdateGate,
    private readonly log: Logger,
    private readonly observe?: (type: string, outcome: 'handled' | 'duplicate' | 'retry', seconds: number) => void,
    private readonly readAhead?: SessionReadAhead,
    /**
     * Where an update's calls go whose 429 outlasts the bound (`MAX_REPLY_WAIT_MS`); the app's hands a
     * reply to the delivery engine (`lateCallsOf`). Without it, they are sent again from this process.
     */
    private readonly lateCalls?: (update: Update) => LateCalls,
  ) {}

  get busy(): number {
    return this.inFlight;
  }

  async process(update: Update, acknowledge?: Acknowledge): Promise<Outcome> {
    this.inFlight += 1;
    const started = performance.now();
    const type = Object.keys(update).find((k) => k !== 'update_id') ?? 'unknown';
    try {
      // A session key exists only where the read-ahead does: it is the read-ahead's own key.
      const readAhead = this.readAhead;
      const sessionKey = readAhead?.keyOf(update);
      const outcome = await this.gate.run(
        update.update_id,
        chatKeyOf(update),
        async (journal, session) => {
          if (sessionKey !== undefined && session !== undefined) readAhead?.prime(sessionKey, session);
          // Without an acknowledgement to carry the answer (polling), the session write joins the done
          // mark. With one (webhook), the session must be written before the acknowledgement and the
          // done mark after it ("Answered once" in docs/architecture.md), so they stay apart.
          const deferWrite = sessionKey !== undefined && acknowledge === undefined;
          if (deferWrite) readAhead?.defer(sessionKey);
          try {
            const calls = new OutgoingCalls(journal, acknowledge !== undefined, this.lateCalls?.(update));
            attachOutgoing(update, calls);
            await this.handle(update);
            if (acknowledge?.(calls.heldCall())) return;
            await calls.flush();
            return deferWrite ? readAhead?.takeDeferred(sessionKey) : undefined;
          } finally {
            if (sessionKey !== undefined) readAhead?.forget(sessionKey);
          }
        },
        sessionKey,
      );
      if (outcome === 'duplicate') this.log.debug({ update_id: update.update_id }, 'duplicate update skipped');
      this.observe?.(type, outcome, (performance.now() - started) / 1000);
      return outcome;
    } catch (err) {
      this.observe?.(type, 'retry', (performance.now() - started) / 1000);
      throw err;
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0) for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  /** Resolves once no update is being handled (graceful shutdown). */
  drain(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
