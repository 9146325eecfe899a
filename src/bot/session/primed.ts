import type { Update } from 'telegraf/types';
import type { SessionReadAhead } from '../runtime/pipeline.js';
import type { SessionWrite } from '../runtime/update-gate.js';
import type { StorageAdapter } from './storage.js';

/**
 * A session adapter that shares round trips with the update gate (`update-gate.ts`):
 * - **read ahead**: the claim script reads the chat's session in the round trip that claims the update
 *   and takes the chat's lock, and primes it here; the session middleware's read then costs nothing;
 * - **deferred write** (polling mode): the session middleware's write of a deferred key is held here and
 *   handed to the gate, whose done script writes it together with the update's done mark. The two are
 *   then one atomic step: the session is never written for an update not marked done, nor the reverse.
 *
 * Only one update of a chat runs in a process at a time (the gate's per-chat queue), and the session key
 * names the chat, so what is primed or deferred for a key belongs to the update being handled. Both are
 * used once: the pipeline forgets them when the update ends.
 */
export class PrimedSessionStorage implements StorageAdapter<unknown>, SessionReadAhead {
  private readonly primed = new Map<string, string | null>();
  /** Deferred keys, with the write the handler made (undefined until it makes one). */
  private readonly deferred = new Map<string, SessionWrite | undefined>();

  constructor(
    private readonly inner: StorageAdapter<unknown>,
    /** The inner adapter's expiry, for writes made by the gate instead. */
    private readonly ttlSeconds: number,
    /** What the session middleware puts before `<chat>:<from>` (`<REDIS_PREFIX>session:`). */
    private readonly prefix: string,
  ) {}

  keyOf(update: Update): string | undefined {
    const key = sessionKeyOfUpdate(update);
    return key === undefined ? undefined : `${this.prefix}${key}`;
  }

  /** `raw` is the stored text as the adapter keeps it (JSON), or null when there is none. */
  prime(key: string, raw: string | null): void {
    this.primed.set(key, raw);
  }

  defer(key: string): void {
    this.deferred.set(key, undefined);
  }

  /** The write the handler made to a deferred key (if any); the key is no longer deferred. */
  takeDeferred(key: string): SessionWrite | undefined {
    const write = this.deferred.get(key);
    this.deferred.delete(key);
    return write;
  }

  forget(key: string): void {
    this.primed.delete(key);
    this.deferred.delete(key);
  }

  read(key: string): unknown {
    if (!this.primed.has(key)) return this.inner.read(key);
    // Not `!`: that would strip the null a primed miss is stored as.
    const raw = this.primed.get(key) as string | null;
    this.primed.delete(key);
    // A corrupt blob throws SyntaxError here as the Redis adapter's own read would.
    return raw === null ? undefined : (JSON.parse(raw) as unknown);
  }

  write(key: string, value: unknown): Promise<void> | void {
    this.primed.delete(key);
    if (this.deferred.has(key)) {
      this.deferred.set(key, { key, json: JSON.stringify(value), ttlSeconds: this.ttlSeconds });
      return;
    }
    return this.inner.write(key, value);
  }

  delete(key: string): Promise<void> | void {
    this.primed.delete(key);
    if (this.deferred.has(key)) {
      this.deferred.set(key, { key, json: null, ttlSeconds: this.ttlSeconds });
      return;
    }
    return this.inner.delete(key);
  }
}

/**
 * The session key (`<chat>:<from>`, as `sessionKeyOf` derives it from the context) of the updates whose
 * session can be read ahead: messages and button presses. Others read it the usual way.
 */
export function sessionKeyOfUpdate(update: Update): string | undefined {
  if ('message' in update) {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the Bot API marks `from` optional (empty for messages sent to channels); telegraf's type does not
    const fromId = update.message.from?.id;
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- as above
    return fromId === undefined ? undefined : `${update.message.chat.id}:${fromId}`;
  }
  if ('callback_query' in update) {
    const chatId = update.callback_query.message?.chat.id;
    return chatId === undefined ? undefined : `${chatId}:${update.callback_query.from.id}`;
  }
  return undefined;
}
