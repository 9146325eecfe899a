import { Composer, Context } from 'telegraf';
import type { Middleware, MiddlewareFn } from 'telegraf';

/**
 * telegraf's Composer, with its per-update hot spots (`compose`, `branch`, `passThru`, `command`)
 * replaced by equivalents that dispatch synchronously. Every bot file imports `Composer` from here, so the
 * replacement is in place before any composer is built.
 *
 * Why: in telegraf 4, `compose` runs each middleware inside an `async` frame, and every filter (`on`,
 * `command`, `action`, `optional`) goes through `branch` → `lazy`, two promise hops per middleware even
 * when the update does not match. A one-line stock report passes some hundred middlewares on its way
 * to its handler: the bench measured 114 KB allocated per update by `composer.js` alone, and GC plus
 * microtasks at a third of the update's CPU. Here a middleware that does not match calls `next`
 * directly, and a promise is made only where a middleware makes one.
 *
 * The contract is telegraf's: `next(ctx)` may pass another context (it must be a telegraf Context),
 * `next` called twice is an error, a thrown error becomes the composed middleware's rejection, a
 * Composer placed in a chain is unwrapped per update (handlers added later count), and a predicate may
 * return a promise. `test/unit/composer.test.ts` holds the two implementations to the same behaviour.
 */
type AnyMiddleware = Middleware<Context>;
type AnyFn = MiddlewareFn<Context>;
type Next = () => Promise<void>;

// A function is a middleware function (`'middleware' in fn`, telegraf's test, is a slow lookup on functions).
function unwrap(m: AnyMiddleware | undefined): AnyFn {
  if (!m) throw new Error('Handler is undefined');
  return (typeof m === 'function' ? m : m.middleware());
}

type Predicate = (ctx: Context) => unknown;
/** What a filter built here is made of, so a chain can decide it without calling it (see `Pass.dispatch`). */
interface Fork {
  predicate: Predicate;
  onTrue: AnyMiddleware;
  onFalse: AnyMiddleware;
}
const FORK = Symbol('fork');
type ForkFn = AnyFn & { [FORK]?: Fork };

/** telegraf's `passThru`, as one function: a chain recognises it and steps over it. */
const PASS_THRU: AnyFn = function passThru(_ctx, next) {
  return next();
};

/** A predicate may answer with a promise (telegraf allows it): the side is chosen when it settles. */
const isPending = (verdict: unknown): verdict is object => typeof verdict === 'object' && verdict !== null;
function settleThenRun(f: Fork, verdict: object, ctx: Context, next: Next): Promise<unknown> {
  return Promise.resolve(verdict as PromiseLike<unknown>).then((v) => unwrap(v ? f.onTrue : f.onFalse)(ctx, next));
}

function fork(f: Fork): AnyFn {
  const fn: ForkFn = function forked(ctx, next) {
    const verdict = f.predicate(ctx);
    if (isPending(verdict)) return settleThenRun(f, verdict, ctx, next);
    return unwrap(verdict ? f.onTrue : f.onFalse)(ctx, next);
  };
  fn[FORK] = f;
  return fn;
}

/** One pass of an update through one composed chain (an object, not closures: nothing to build per step but `next`). */
class Pass {
  private index = -1;

  constructor(
    private readonly middlewares: readonly AnyMiddleware[],
    private readonly last: AnyFn,
  ) {}

  step(i: number, context: Context): Promise<void> {
    try {
      return Promise.resolve(this.dispatch(i, context)) as Promise<void>;
    } catch (err) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- a thrown value becomes the rejection unchanged, as in telegraf's compose
      return Promise.reject(err);
    }
  }

  /**
   * Runs middleware `i`. A filter that does not match (a fork whose chosen side is `passThru`) is stepped
   * over here, without making its `next`: most of the ~120 middlewares an update meets are such filters.
   */
  private dispatch(first: number, context: Context): unknown {
    if (!(context instanceof Context)) throw new Error('next(ctx) called with invalid context');
    if (first <= this.index) throw new Error('next() called multiple times');
    for (let i = first; ; i++) {
      this.index = i;
      if (i >= this.middlewares.length) return this.last(context, this.nextOf(i, context));
      let handler = unwrap(this.middlewares[i]);
      for (let f = (handler as ForkFn)[FORK]; f; f = (handler as ForkFn)[FORK]) {
        const verdict = f.predicate(context);
        if (isPending(verdict)) return settleThenRun(f, verdict, context, this.nextOf(i, context));
        handler = unwrap(verdict ? f.onTrue : f.onFalse);
      }
      if (handler !== PASS_THRU) return handler(context, this.nextOf(i, context));
    }
  }

  private nextOf(i: number, context: Context): Next {
    // Anonymous on purpose: tsx (esbuild keepNames) gives every named closure a defineProperty call.
    return (c: Context = context) => this.step(i + 1, c);
  }
}

const COMPOSED = Symbol('composed');
type ComposedFn = AnyFn & { [COMPOSED]?: readonly AnyMiddleware[] };

// Not Array.isArray inline: it would narrow a readonly array to `any[]` below (callers may be untyped JS).
const isList = (v: unknown): boolean => Array.isArray(v);

/**
 * `Composer#use` composes the composer's handler so far with what is added (`compose([handler, ...fns])`),
 * so a composer of twenty registrations is twenty nested chains, each a pass of its own per update. A
 * composed chain never changes, so one placed in another is spliced into it: the same middlewares in the
 * same order, one pass. Composer objects stay as they are (read per update), as do telegraf's rules for a
 * single middleware.
 */
export function fastCompose(middlewares: readonly AnyMiddleware[]): AnyFn {
  if (!isList(middlewares)) throw new Error('Middlewares must be an array');
  if (middlewares.length === 0) return PASS_THRU;
  if (middlewares.length === 1) return unwrap(middlewares[0]);
  const flat: AnyMiddleware[] = [];
  for (const m of middlewares) {
    const inner = typeof m === 'function' ? (m as ComposedFn)[COMPOSED] : undefined;
    if (inner) flat.push(...inner);
    else if (m !== PASS_THRU) flat.push(m);
  }
  if (flat.length === 0) return PASS_THRU;
  if (flat.length === 1 && typeof flat[0] === 'function') return flat[0];
  const composed: ComposedFn = function composed(ctx, next) {
    return new Pass(flat, next).step(0, ctx);
  };
  composed[COMPOSED] = flat;
  return composed;
}

export function fastBranch(predicate: boolean | Predicate, onTrue: AnyMiddleware, onFalse: AnyMiddleware): AnyFn {
  if (typeof predicate !== 'function') return unwrap(predicate ? onTrue : onFalse);
  return fork({ predicate, onTrue, onFalse });
}

export function fastPassThru(): AnyFn {
  return PASS_THRU;
}

type CommandFn = (command: unknown, ...fns: AnyMiddleware[]) => AnyFn;

/** The command name as telegraf's `command` reads it (`/stok@bot …` → `stok`), read once per message. */
const commandNames = new WeakMap<object, string | null>();
function commandNameOf(ctx: Context): string | null {
  const update = ctx.update as { message?: { text?: unknown; entities?: { type: string; offset: number; length: number }[] } };
  const msg = update.message;
  if (!msg || typeof msg.text !== 'string') return null;
  let name = commandNames.get(msg);
  if (name === undefined) {
    const entity = msg.entities?.[0];
    const head = entity?.type === 'bot_command' && entity.offset === 0 ? msg.text.slice(0, entity.length).split('@')[0] : '';
    name = head ? head.slice(1) : null;
    commandNames.set(msg, name);
  }
  return name;
}

/**
 * telegraf's `command`, with a cheap way past it: for plain string triggers, a message whose command is
 * not one of them goes straight to `next`, the outcome telegraf's would reach after slicing and matching
 * the text (some forty command filters stand before the last ones in the chain). A message that names one
 * of them, and every other trigger kind, is left to telegraf's own middleware, which sets `ctx.command`,
 * `payload` and `args` and checks the `@bot` part.
 */
export function fastCommand(command: unknown, ...fns: AnyMiddleware[]): AnyFn {
  const full = telegrafStatics.command.call(Composer, command, ...fns);
  const triggers: unknown[] = Array.isArray(command) ? command : [command];
  if (fns.length === 0 || !triggers.every((t) => typeof t === 'string')) return full;
  const names = new Set(triggers);
  return fork({
    predicate: function isOneOfTheCommands(ctx) {
      const name = commandNameOf(ctx);
      return name !== null && names.has(name);
    },
    onTrue: full,
    onFalse: PASS_THRU,
  });
}

// The statics are read through the class object at call time, by telegraf's own methods too.
const statics = Composer as unknown as { compose: typeof fastCompose; branch: typeof fastBranch; command: CommandFn; passThru: typeof fastPassThru };
/** telegraf's own, for the bench's plain-telegraf peer (built while these are put back). */
export const telegrafStatics = { compose: statics.compose, branch: statics.branch, command: statics.command, passThru: statics.passThru };
const ours = { compose: fastCompose, branch: fastBranch, command: fastCommand, passThru: fastPassThru };
Object.assign(statics, ours);

/** Builds something with telegraf's own statics in place (the bench's plain-telegraf peer), then puts ours back. */
export function withTelegrafComposer<T>(build: () => T): T {
  Object.assign(statics, telegrafStatics);
  try {
    return build();
  } finally {
    Object.assign(statics, ours);
  }
}

export { Composer };
