import type { Telegram } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { Logger } from '../../logger.js';
import type { BotApiReachability } from './bot-api-client.js';
import type { UpdatePipeline } from './pipeline.js';

type CallApiSignal = NonNullable<Parameters<Telegram['callApi']>[2]>['signal'];

/**
 * What Telegram sends us, polling and webhook alike. my_chat_member: blocks in private, the bot added to or
 * removed from a campaign group (issue 18); inline_query: `@bot KODE`, sent only once inline mode is on
 * (@BotFather /setinline).
 */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query', 'my_chat_member', 'inline_query'] as const;

export interface PollingOptions {
  /** Long-poll seconds; Telegram allows up to 50. */
  timeoutSeconds: number;
  limit: number;
  /** Tells an unreachable Bot API once (then retries at debug level, every `retryMs`) instead of warning on every retry. */
  reachability?: BotApiReachability;
}

/**
 * Our own getUpdates loop instead of telegraf's: telegraf confirms a whole batch even when one update
 * failed. Here the offset only moves past updates that were handled (or are duplicates); on an
 * infrastructure failure the loop backs off and asks again from the first unhandled update.
 */
export class Poller {
  private offset = 0;
  private running = false;
  private abort: AbortController | undefined;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly telegram: Telegram,
    private readonly pipeline: UpdatePipeline,
    private readonly log: Logger,
    private readonly opts: PollingOptions = { timeoutSeconds: 25, limit: 100 },
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.abort?.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    let backoff = 500;
    while (this.running) {
      let updates: Update[];
      // Also wakes the pauses below when stop() is called.
      const abort = (this.abort = new AbortController());
      try {
        // While the API is unreachable, a short poll: its answer says at once that the API is back (a long
        // poll would hold that news for up to `timeoutSeconds`).
        const timeout = this.opts.reachability?.unreachable ? 0 : this.opts.timeoutSeconds;
        updates = await this.telegram.callApi(
          'getUpdates',
          { offset: this.offset, timeout, limit: this.opts.limit, allowed_updates: [...ALLOWED_UPDATES] },
          // telegraf types its own AbortSignal polyfill; node-fetch accepts Node's native one.
          { signal: abort.signal as unknown as CallApiSignal },
        );
        backoff = 500;
        this.opts.reachability?.answered();
      } catch (err) {
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- stop() clears `running` while getUpdates is awaited
        if (!this.running) break;
        // Asked first: it also notes that an error answer (409, 5xx) means the API is back.
        if (this.opts.reachability?.failed(err)) {
          await sleep(this.opts.reachability.retryMs, abort.signal);
          continue;
        }
        this.log.warn({ err }, 'getUpdates failed; retrying');
        await sleep(backoff, abort.signal);
        backoff = Math.min(backoff * 2, 30_000);
        continue;
      }
      if (updates.length === 0) continue;
      const results = await Promise.allSettled(updates.map((u) => this.pipeline.process(u)));
      const firstFailed = results.findIndex((r) => r.status === 'rejected');
      const failed = updates[firstFailed];
      const last = updates.at(-1);
      if (!failed) {
        if (last) this.offset = last.update_id + 1;
      } else {
        this.offset = failed.update_id;
        this.log.warn({ update_id: failed.update_id }, 'update not handled; polling pauses before asking again');
        // Short pauses: the failure is usually Redis or Postgres coming back within seconds.
        await sleep(backoff, abort.signal);
        backoff = Math.min(backoff * 2, 4_000);
      }
    }
  }
}

/** Waits `ms`, or less when `signal` aborts (stop() must not wait out a 30 s backoff). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
