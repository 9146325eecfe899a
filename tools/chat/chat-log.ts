import type { DestinationStream } from 'pino';

const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

/** Expected in the chat tool (no Redis on purpose), so not worth a line on every start. */
const EXPECTED = [/^REDIS_URL not set/];

/**
 * Log lines for `npm run chat`: one short line each on stderr (`[warn] message (error)`), so logs never
 * mix into the chat on stdout and stay readable in a terminal.
 */
export function stderrLogDestination(write: (line: string) => void = (l) => process.stderr.write(l)): DestinationStream {
  return {
    write(msg: string): void {
      let entry: Record<string, unknown>;
      try {
        const parsed: unknown = JSON.parse(msg);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
        entry = parsed as Record<string, unknown>;
      } catch {
        write(msg.endsWith('\n') ? msg : `${msg}\n`);
        return;
      }
      const text = typeof entry.msg === 'string' ? entry.msg : '';
      if (EXPECTED.some((re) => re.test(text))) return;
      const level = typeof entry.level === 'number' ? (LEVELS[entry.level] ?? String(entry.level)) : '?';
      const err = entry.err;
      const detail = typeof err === 'object' && err !== null && 'message' in err && typeof err.message === 'string' ? ` (${err.message})` : '';
      write(`[${level}] ${text}${detail}\n`);
    },
  };
}
