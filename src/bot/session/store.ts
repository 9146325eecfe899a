import type { AsyncSessionStore } from 'telegraf/session';
import type { Logger } from '../../logger.js';
import { InfrastructureError } from '../errors/infrastructure.js';
import { sessionSchema, type Session } from './schema.js';
import type { StorageAdapter } from './storage.js';

/**
 * Bridges a grammY StorageAdapter to telegraf's session store (get/set/delete), adds the key prefix,
 * and refuses to hand a handler anything but a valid current-version session: a corrupt or old blob is
 * logged, deleted, and replaced by a fresh session rather than crashing the update.
 */
export function sessionStore(adapter: StorageAdapter<unknown>, prefix: string, log: Logger): AsyncSessionStore<Session> {
  const k = (key: string) => `${prefix}${key}`;
  return {
    async get(key) {
      let raw: unknown;
      try {
        raw = await adapter.read(k(key));
      } catch (err) {
        if (!(err instanceof SyntaxError)) throw new InfrastructureError('session store unavailable', { cause: err });
        log.warn({ key }, 'session blob is not JSON; dropping it');
        await adapter.delete(k(key));
        return undefined;
      }
      if (raw === undefined || raw === null) return undefined;
      const parsed = sessionSchema.safeParse(raw);
      if (parsed.success) return parsed.data;
      log.warn({ key, issues: parsed.error.issues.slice(0, 3) }, 'session blob has an unknown shape or version; dropping it');
      await adapter.delete(k(key));
      return undefined;
    },
    async set(key, value) {
      try {
        await adapter.write(k(key), value);
      } catch (err) {
        throw new InfrastructureError('session store unavailable', { cause: err });
      }
    },
    async delete(key) {
      try {
        await adapter.delete(k(key));
      } catch (err) {
        throw new InfrastructureError('session store unavailable', { cause: err });
      }
    },
  };
}
