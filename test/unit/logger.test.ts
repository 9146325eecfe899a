import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, redactText } from '../../src/logger.js';

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
});
