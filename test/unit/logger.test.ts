import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, redactText, wantsPrettyLogs } from '../../src/logger.js';
import { updateLogger } from '../../src/bot/middleware/update-logger.js';
import type { BotContext } from '../../src/bot/context.js';

function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { lines, log: createLogger({ LOG_LEVEL: 'info', LOG_FORMAT: 'json', NODE_ENV: undefined }, sink) };
}

describe('logging', () => {
  it('is pretty at a terminal and JSON lines when piped, unless LOG_FORMAT says otherwise', () => {
    expect(wantsPrettyLogs({ LOG_FORMAT: undefined, NODE_ENV: undefined }, true)).toBe(true);
    expect(wantsPrettyLogs({ LOG_FORMAT: undefined, NODE_ENV: 'production' }, true)).toBe(true);
    expect(wantsPrettyLogs({ LOG_FORMAT: undefined, NODE_ENV: undefined }, false)).toBe(false);
    expect(wantsPrettyLogs({ LOG_FORMAT: 'json', NODE_ENV: 'development' }, true)).toBe(false);
    expect(wantsPrettyLogs({ LOG_FORMAT: 'pretty', NODE_ENV: undefined }, false)).toBe(true);
    expect(wantsPrettyLogs({ LOG_FORMAT: undefined, NODE_ENV: 'development' }, false)).toBe(true);
  });

  it('redacts bot tokens inside URLs and error messages', () => {
    expect(redactText('request to https://api.telegram.org/bot123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345/sendMessage failed')).toBe(
      'request to https://api.telegram.org/bot<bot-token>/sendMessage failed',
    );
  });

  it('writes JSON lines with phone numbers and tokens redacted', async () => {
    const { lines, log } = capture();
    log.info({ update: { message: { contact: { phone_number: '+6281234567890' } } }, phone: '+6281234567890' }, 'contact');
    log.error({ err: new Error('GET /bot123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345/getMe timed out') }, 'failed');
    await new Promise((r) => setImmediate(r));
    const out = lines.join('');
    expect(out).not.toContain('6281234567890');
    expect(out).not.toContain('ABCdefGHIjklMNOpqrSTUvwxYZ012345');
    expect(out).toContain('[redacted]');
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 30, msg: 'contact', app: 'etalase' });
  });

  it('gives every update a logger that names it, made only when the update logs something', async () => {
    const { lines, log } = capture();
    let children = 0;
    const app = { log: Object.assign(Object.create(log) as typeof log, { child: (b: object) => (children++, log.child(b)) }) };
    const ctx = (id: number) => ({ app, update: { update_id: id }, updateType: 'message', from: { id: 77 } }) as unknown as BotContext;
    const mw = updateLogger();
    await mw(ctx(1), async () => undefined);
    expect(children).toBe(0);
    const c = ctx(2);
    await mw(c, async () => {
      c.log.warn('first');
      c.log.warn('second');
    });
    expect(children).toBe(1);
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ msg: 'first', update_id: 2, type: 'message', user_id: 77 }),
      expect.objectContaining({ msg: 'second', update_id: 2 }),
    ]);
  });
});
