import { Writable } from 'node:stream';
import { Telegram, TelegramError } from 'telegraf';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BotApiClient,
  BotApiReachability,
  botApiReachableMessage,
  botApiUnreachableMessage,
  botApiUnreachableReason,
  displayApiRoot,
} from '../../src/bot/runtime/bot-api-client.js';
import type { UpdatePipeline } from '../../src/bot/runtime/pipeline.js';
import { Poller } from '../../src/bot/runtime/polling.js';
import { createLogger } from '../../src/logger.js';
import { FakeBotApi } from '../support/fake-bot-api.js';
import { TEST_TOKEN } from '../support/harness.js';
import { closedPort } from '../support/ports.js';

function capture(level: 'debug' | 'info' = 'debug') {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  return { lines, log: createLogger({ LOG_LEVEL: level, LOG_FORMAT: 'json', NODE_ENV: undefined }, sink) };
}

const sysError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:9`), { code });

/** Waits for log content, not for a duration: the test's timeout is the only clock. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 10));
}

describe('an unreachable Bot API', () => {
  it('is told apart from an answer, an abort or a bug, with the reason a person reads', () => {
    expect(botApiUnreachableReason(sysError('ECONNREFUSED'))).toBe('connection refused, ECONNREFUSED');
    expect(botApiUnreachableReason(sysError('ENOTFOUND'))).toBe('host name not found, ENOTFOUND');
    expect(botApiUnreachableReason(sysError('EAI_AGAIN'))).toBe('DNS lookup failed, EAI_AGAIN');
    expect(botApiUnreachableReason(sysError('UND_ERR_CONNECT_TIMEOUT'))).toBe('timeout, UND_ERR_CONNECT_TIMEOUT');
    expect(botApiUnreachableReason(sysError('ETIMEDOUT'))).toBe('timeout, ETIMEDOUT');
    expect(botApiUnreachableReason(sysError('ENETUNREACH'))).toBe('network unreachable, ENETUNREACH');
    expect(botApiUnreachableReason(sysError('SELF_SIGNED_CERT_IN_CHAIN'))).toBe('TLS handshake failed, SELF_SIGNED_CERT_IN_CHAIN');
    // fetch's wrapping, and a host whose IPv4 and IPv6 addresses both refuse.
    expect(botApiUnreachableReason(new TypeError('fetch failed', { cause: sysError('ENOTFOUND') }))).toBe('host name not found, ENOTFOUND');
    expect(botApiUnreachableReason(new AggregateError([sysError('ECONNREFUSED'), sysError('ECONNREFUSED')]))).toBe('connection refused, ECONNREFUSED');

    expect(botApiUnreachableReason(new TelegramError({ error_code: 502, description: 'Bad Gateway' }))).toBeUndefined();
    expect(botApiUnreachableReason(new TelegramError({ error_code: 409, description: 'Conflict' }))).toBeUndefined();
    expect(botApiUnreachableReason(new DOMException('aborted', 'AbortError'))).toBeUndefined();
    expect(botApiUnreachableReason(new Error('boom'))).toBeUndefined();
    expect(botApiUnreachableReason(undefined)).toBeUndefined();
  });

  it('is named in one line that says where, why and how it goes on, with no credentials', () => {
    expect(botApiUnreachableMessage('https://api.telegram.org', 'connection refused, ECONNREFUSED', 5000)).toBe(
      'Telegram Bot API at https://api.telegram.org is unreachable (connection refused, ECONNREFUSED); retrying quietly every 5 s',
    );
    expect(botApiReachableMessage('https://api.telegram.org/')).toBe('Telegram Bot API at https://api.telegram.org is reachable again');
    expect(displayApiRoot('http://user:secret@proxy.example:8081/tg/')).toBe('http://proxy.example:8081/tg');
  });

  it('reads the real socket error of a closed port', async () => {
    const client = new BotApiClient(`http://127.0.0.1:${await closedPort()}`, TEST_TOKEN);
    try {
      const err = await client.call('getMe', {}).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(botApiUnreachableReason(err)).toBe('connection refused, ECONNREFUSED');
    } finally {
      await client.close();
    }
  });

  it('is logged once, then at debug on each retry, and its end once', () => {
    const { lines, log } = capture();
    const r = new BotApiReachability('https://api.telegram.org', log, 5000);
    expect(r.failed(sysError('ECONNREFUSED'))).toBe(true);
    expect(r.failed(sysError('ECONNREFUSED'))).toBe(true);
    expect(r.failed(sysError('ENOTFOUND'))).toBe(true);
    expect(r.unreachable).toBe(true);
    expect(r.failed(new Error('a bug'))).toBe(false); // not ours to report; the caller logs it
    expect(r.unreachable).toBe(true);
    r.answered();
    r.answered();
    expect(r.unreachable).toBe(false);
    // An error answer is an answer.
    r.failed(sysError('ECONNREFUSED'));
    expect(r.failed(new TelegramError({ error_code: 502, description: 'Bad Gateway' }))).toBe(false);

    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [40, 'Telegram Bot API at https://api.telegram.org is unreachable (connection refused, ECONNREFUSED); retrying quietly every 5 s'],
      [20, 'Telegram Bot API still unreachable'],
      [20, 'Telegram Bot API still unreachable'],
      [30, 'Telegram Bot API at https://api.telegram.org is reachable again'],
      [40, 'Telegram Bot API at https://api.telegram.org is unreachable (connection refused, ECONNREFUSED); retrying quietly every 5 s'],
      [30, 'Telegram Bot API at https://api.telegram.org is reachable again'],
    ]);
    // No error objects (and so no stack traces) in any of them.
    expect(JSON.stringify(lines)).not.toMatch(/"stack"|"err"/);
  });
});

describe('polling while the Bot API is unreachable', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });

  it('says so once, retries quietly, and says once that it is back when the API answers', async () => {
    const port = await closedPort();
    const apiRoot = `http://127.0.0.1:${port}`;
    const { lines, log } = capture();
    const telegram = new Telegram(TEST_TOKEN, { apiRoot, webhookReply: false });
    const client = new BotApiClient(apiRoot, TEST_TOKEN);
    client.install(telegram);
    cleanup.push(() => client.close());
    const reachability = new BotApiReachability(apiRoot, log, 20);
    const pipeline = { process: async () => 'handled' } as unknown as UpdatePipeline;
    const poller = new Poller(telegram, pipeline, log, { timeoutSeconds: 1, limit: 100, reachability });
    poller.start();
    cleanup.push(() => poller.stop());

    const retries = () => lines.filter((l) => l.msg === 'Telegram Bot API still unreachable').length;
    await until(() => retries() >= 3);
    const unreachable = lines.filter((l) => typeof l.msg === 'string' && l.msg.includes('is unreachable'));
    expect(unreachable.map((l) => l.msg)).toEqual([`Telegram Bot API at ${apiRoot} is unreachable (connection refused, ECONNREFUSED); retrying quietly every 20 ms`]);
    expect(lines.filter((l) => l.level !== 20 && !unreachable.includes(l))).toEqual([]);
    expect(JSON.stringify(lines)).not.toMatch(/"stack"/);

    const api = await FakeBotApi.start({ token: TEST_TOKEN, port });
    cleanup.push(() => api.close());
    await until(() => lines.some((l) => l.msg === `Telegram Bot API at ${apiRoot} is reachable again`));
    await api.waitForPolling();
    expect(lines.filter((l) => typeof l.msg === 'string' && /is (unreachable|reachable again)/.test(l.msg))).toHaveLength(2);
  });
});
