import { describe, expect, it } from 'vitest';
import { Context, Telegram } from 'telegraf';
import type { MiddlewareFn } from 'telegraf';
import type { Update, UserFromGetMe } from 'telegraf/types';
import { Composer, fastBranch, fastCompose, telegrafStatics } from '../../src/bot/composer.js';

// The replacement must behave as telegraf's own does; every case runs against both.
const impls = {
  telegraf: telegrafStatics,
  ours: { compose: fastCompose, branch: fastBranch },
} as const;

const botInfo = { id: 1, is_bot: true, first_name: 'Bot', username: 'bot' } as UserFromGetMe;
const textUpdate = (text: string): Update =>
  ({
    update_id: 1,
    message: {
      message_id: 1,
      date: 0,
      chat: { id: 5, type: 'private', first_name: 'A' },
      from: { id: 5, is_bot: false, first_name: 'A' },
      text,
      ...(text.startsWith('/') ? { entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]!.length }] } : {}),
    },
  }) as Update;
const newCtx = (text = 'hi') => new Context(textUpdate(text), new Telegram('1:x'), botInfo);
const end = async (): Promise<void> => undefined;

describe.each(Object.entries(impls))('compose and branch (%s)', (_name, impl) => {
  it('runs middlewares in order around next, nested composers included', async () => {
    const log: string[] = [];
    const inner = impl.compose([
      async (_c, next) => {
        log.push('inner1');
        await next();
        log.push('inner1 after');
      },
      (_c, next) => {
        log.push('inner2 (sync)');
        return next();
      },
    ]);
    const outer = impl.compose([
      async (_c, next) => {
        log.push('a');
        await next();
        log.push('a after');
      },
      inner,
      (_c) => {
        log.push('last');
      },
      () => {
        log.push('never');
      },
    ]);
    await outer(newCtx(), end);
    expect(log).toEqual(['a', 'inner1', 'inner2 (sync)', 'last', 'inner1 after', 'a after']);
  });

  it('returns a promise that settles after the whole chain, even when every middleware is sync', async () => {
    let done = false;
    const chain = impl.compose([(_c, next) => next(), (_c, next) => next()]);
    const r = chain(newCtx(), async () => {
      await new Promise((res) => setTimeout(res, 5));
      done = true;
    });
    expect(typeof (r as Promise<void>).then).toBe('function');
    await r;
    expect(done).toBe(true);
  });

  it('turns a synchronous throw into a rejection', async () => {
    const chain = impl.compose([(_c, next) => next(), () => {
      throw new Error('boom');
    }]);
    let syncThrow = false;
    let p: unknown;
    try {
      p = chain(newCtx(), end);
    } catch {
      syncThrow = true;
    }
    expect(syncThrow).toBe(false);
    await expect(p).rejects.toThrow('boom');
  });

  it('refuses next() called twice', async () => {
    const chain = impl.compose([
      async (_c, next) => {
        await next();
        await next();
      },
      end,
    ]);
    await expect(chain(newCtx(), end)).rejects.toThrow('next() called multiple times');
  });

  it('passes a replacement context on, and refuses something that is not a context', async () => {
    const replacement = newCtx('other');
    let seen: Context | undefined;
    await impl.compose([(_c, next) => (next as unknown as (c: Context) => Promise<void>)(replacement), (c) => {
      seen = c;
    }])(newCtx(), end);
    expect(seen).toBe(replacement);
    const bad = impl.compose([(_c, next) => (next as unknown as (c: unknown) => Promise<void>)({}), end]);
    await expect(bad(newCtx(), end)).rejects.toThrow('invalid context');
  });

  it('branches on sync and async predicates; the passed-over branch does not run', async () => {
    const log: string[] = [];
    const yes: MiddlewareFn<Context> = (_c, next) => {
      log.push('yes');
      return next();
    };
    const no: MiddlewareFn<Context> = (_c, next) => {
      log.push('no');
      return next();
    };
    await impl.branch((c: Context) => c.text === 'hi', yes, no)(newCtx('hi'), end);
    await impl.branch(async (c: Context) => c.text === 'hi', yes, no)(newCtx('bye'), end);
    await impl.branch(true, yes, no)(newCtx(), end);
    expect(log).toEqual(['yes', 'no', 'yes']);
  });
});

describe('Composer from src/bot/composer.ts', () => {
  it('is telegraf’s class with the replacements in place', () => {
    expect((Composer as unknown as { compose: unknown }).compose).toBe(fastCompose);
    expect((Composer as unknown as { branch: unknown }).branch).toBe(fastBranch);
  });

  it('reads a nested composer per update, so handlers added after it was mounted count', async () => {
    const log: string[] = [];
    const parent = new Composer<Context>();
    const child = new Composer<Context>();
    parent.use(child);
    child.command('stok', (c) => {
      log.push(`stok:${c.text}`);
    });
    parent.on('text', (c) => {
      log.push(`text:${c.text}`);
    });
    await parent.middleware()(newCtx('/stok A 1'), end);
    await parent.middleware()(newCtx('halo'), end);
    expect(log).toEqual(['stok:/stok A 1', 'text:halo']);
  });
});
