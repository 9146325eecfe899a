import { describe, expect, it } from 'vitest';
import { Context, Telegram } from 'telegraf';
import type { MiddlewareFn } from 'telegraf';
import type { Update, UserFromGetMe } from 'telegraf/types';
import { Composer, fastBranch, fastCommand, fastCompose, telegrafStatics, withTelegrafComposer } from '../../src/bot/composer.js';

// The replacement must behave as telegraf's own does; every case runs against both.
const impls = {
  telegraf: telegrafStatics,
  ours: { compose: fastCompose, branch: fastBranch, command: fastCommand },
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
  });
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

  it('runs a chain of chains as one: order, replacement contexts, next-twice and predicates evaluated once', async () => {
    const log: string[] = [];
    let asked = 0;
    const pred = (v: boolean | Promise<boolean>) => (_c: Context) => {
      asked += 1;
      return v;
    };
    const mark = (s: string): MiddlewareFn<Context> => (_c, next) => {
      log.push(s);
      return next();
    };
    const passThru = (telegrafStatics.passThru)();
    // As `Composer#use` builds them: each registration composed with the handler so far.
    let chain = impl.compose([passThru, mark('a')]);
    chain = impl.compose([chain, impl.branch(pred(false), mark('never'), passThru)]);
    chain = impl.compose([chain, impl.branch(pred(true), mark('b'), passThru)]);
    chain = impl.compose([chain, impl.branch(pred(Promise.resolve(true)), mark('c (async predicate)'), passThru)]);
    chain = impl.compose([chain, impl.compose([mark('d'), mark('e')])]);
    let last: Context | undefined;
    await chain(newCtx(), async () => {
      log.push('end');
    });
    expect(log).toEqual(['a', 'b', 'c (async predicate)', 'd', 'e', 'end']);
    expect(asked).toBe(3);

    const other = newCtx('other');
    await impl.compose([impl.compose([(_c, next) => (next as unknown as (c: Context) => Promise<void>)(other), mark('x')]), (c) => {
      last = c;
    }])(newCtx(), end);
    expect(last).toBe(other);

    const twice = impl.compose([impl.compose([mark('p'), async (_c, next) => {
      await next();
      await next();
    }]), mark('q')]);
    await expect(twice(newCtx(), end)).rejects.toThrow('next() called multiple times');
  });

  it('matches commands as telegraf does: exact name, own @username only, payload and args set', async () => {
    const seen: string[] = [];
    const stok = impl.command(['stok', 'stock'], (c: Context & { command?: string; payload?: string; args?: string[] }) => {
      seen.push(`${c.command}|${c.payload}|${(c.args ?? []).join(',')}`);
    });
    const run = async (text: string) => {
      let passed = false;
      await stok(newCtx(text), async () => {
        passed = true;
      });
      return passed;
    };
    expect(await run('/stok KOPI-01 1.500 kg')).toBe(false);
    expect(await run('/stock@bot A 1')).toBe(false);
    expect(await run('/stock@BOT A 1')).toBe(false);
    expect(await run('/stok@other_bot A 1')).toBe(true);
    expect(await run('/STOK A 1')).toBe(true);
    expect(await run('/stoks A 1')).toBe(true);
    expect(await run('/riwayat A')).toBe(true);
    expect(await run('stok A 1')).toBe(true);
    expect(await run('/')).toBe(true);
    expect(seen).toEqual(['stok|KOPI-01 1.500 kg|KOPI-01,1.500,kg', 'stock|A 1|A,1', 'stock|A 1|A,1']);
  });

  it('leaves regular-expression triggers and a command not at the start to telegraf’s rules', async () => {
    const seen: string[] = [];
    const re = impl.command(/^st(o|oc)k$/i, (c: Context & { command?: string }) => {
      seen.push(String(c.command));
    });
    await re(newCtx('/STOK A'), end);
    await re(newCtx('/stock A'), end);
    const ctx = new Context({ update_id: 2, message: { message_id: 2, date: 0, chat: { id: 5, type: 'private', first_name: 'A' }, text: 'x /stok', entities: [{ type: 'bot_command', offset: 2, length: 5 }] } } as Update, new Telegram('1:x'), botInfo);
    let passed = false;
    await impl.command('stok', () => {
      seen.push('never');
    })(ctx, async () => {
      passed = true;
    });
    expect(passed).toBe(true);
    expect(seen).toEqual(['STOK', 'stock']);
  });
});

describe('Composer from src/bot/composer.ts', () => {
  it('is telegraf’s class with the replacements in place', () => {
    expect((Composer as unknown as { compose: unknown }).compose).toBe(fastCompose);
    expect((Composer as unknown as { branch: unknown }).branch).toBe(fastBranch);
    expect((Composer as unknown as { command: unknown }).command).toBe(fastCommand);
  });

  it('builds with telegraf’s own statics inside withTelegrafComposer, and puts every one of ours back', () => {
    const statics = Composer as unknown as Record<string, unknown>;
    const seen = withTelegrafComposer(() => ({ compose: statics.compose, branch: statics.branch, command: statics.command, passThru: statics.passThru }));
    expect(seen).toEqual(telegrafStatics);
    expect(statics.compose).toBe(fastCompose);
    expect(statics.branch).toBe(fastBranch);
    expect(statics.command).toBe(fastCommand);
    expect((statics.passThru as () => unknown)()).toBe((statics.passThru as () => unknown)());
  });

  it('reads a nested composer per update, so handlers added after it was mounted count', async () => {
    const log: string[] = [];
    const parent = new Composer<Context>();
    const child = new Composer<Context>();
    parent.use(child);
    child.command('stok', (c) => {
      log.push(`stok:${c.text}`);
    });
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- the string form of `on` stays supported through Telegraf 4; filter utils are for the v5 move
    parent.on('text', (c) => {
      log.push(`text:${c.text}`);
    });
    await parent.middleware()(newCtx('/stok A 1'), end);
    await parent.middleware()(newCtx('halo'), end);
    expect(log).toEqual(['stok:/stok A 1', 'text:halo']);
  });
});
