import type { Update } from 'telegraf/types';
import type { SessionReadAhead } from '../runtime/pipeline.js';
import type { StorageAdapter } from './storage.js';

/**
 * A session adapter whose next read of a key can be answered in advance. The update gate's claim script
 * reads the chat's session in the same Redis round trip that claims the update and takes the chat's lock
 * (`update-gate.ts`), and primes it here; the session middleware's read then costs nothing. Writes and
 * deletes go straight to the wrapped adapter.
 *
 * Only one update of a chat runs in a process at a time (the gate's per-chat queue), and the session key
 * names the chat, so a primed value cannot be read by another update. A primed value is used once: the
 * pipeline forgets what was not read when the update ends.
 */
export class PrimedSessionStorage implements StorageAdapter<unknown> {
  private readonly primed = new Map<string, string | null>();

  constructor(private readonly inner: StorageAdapter<unknown>) {}

  /** `raw` is the stored text as the adapter keeps it (JSON), or null when there is none. */
  prime(key: string, raw: string | null): void {
    this.primed.set(key, raw);
  }

  forget(key: string): void {
    this.primed.delete(key);
  }

  read(key: string): unknown {
    if (!this.primed.has(key)) return this.inner.read(key);
    const raw = this.primed.get(key)!;
    this.primed.delete(key);
    // A corrupt blob throws SyntaxError here as the Redis adapter's own read would.
    return raw === null ? undefined : (JSON.parse(raw) as unknown);
  }

  write(key: string, value: unknown): Promise<void> | void {
    this.primed.delete(key);
    return this.inner.write(key, value);
  }

  delete(key: string): Promise<void> | void {
    this.primed.delete(key);
    return this.inner.delete(key);
  }
}

/**
 * The session key (`<chat>:<from>`, as `sessionKeyOf` derives it from the context) of the updates whose
 * session can be read ahead: messages and button presses. Others read it the usual way.
 */
export function sessionKeyOfUpdate(update: Update): string | undefined {
  if ('message' in update) {
    const fromId = update.message.from?.id;
    return fromId === undefined ? undefined : `${update.message.chat.id}:${fromId}`;
  }
  if ('callback_query' in update) {
    const chatId = update.callback_query.message?.chat.id;
    return chatId === undefined ? undefined : `${chatId}:${update.callback_query.from.id}`;
  }
  return undefined;
}

/** Connects the pipeline's read-ahead to a primed storage whose keys start with `prefix`. */
export function sessionReadAhead(storage: PrimedSessionStorage, prefix: string): SessionReadAhead {
  return {
    keyOf: (update) => {
      const key = sessionKeyOfUpdate(update);
      return key === undefined ? undefined : `${prefix}${key}`;
    },
    prime: (key, raw) => storage.prime(key, raw),
    forget: (key) => storage.forget(key),
  };
}
