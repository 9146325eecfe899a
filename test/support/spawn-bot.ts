import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
// Resolved here, so the bot can run from any working directory (e.g. a temp dir for ./data).
const TSX_LOADER = import.meta.resolve('tsx');

export interface BotProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  kill(signal?: NodeJS.Signals): void;
}

export interface SpawnOptions {
  cwd?: string;
  /** More Node options before the script, e.g. `--import` of a module-load recorder. */
  nodeArgs?: string[];
}

/**
 * Starts the real bot (`src/main.ts`) as its own process, as `npm start` does, with exactly the given
 * environment plus PATH: nothing leaks in from the test runner's own environment.
 */
export function spawnBot(env: Record<string, string | undefined>, opts: SpawnOptions = {}): BotProcess {
  const cleanEnv: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' };
  for (const [k, v] of Object.entries(env)) if (v !== undefined) cleanEnv[k] = v;
  const child = spawn(process.execPath, ['--import', TSX_LOADER, ...(opts.nodeArgs ?? []), `${PROJECT_ROOT}/src/main.ts`], {
    cwd: opts.cwd ?? PROJECT_ROOT,
    env: cleanEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => { resolve(code); }));
  return {
    child,
    output: () => out,
    exited,
    async waitForOutput(pattern, timeoutMs = 20_000) {
      const end = Date.now() + timeoutMs;
      while (!pattern.test(out)) {
        if (child.exitCode !== null) throw new Error(`bot exited (${child.exitCode}) before printing ${pattern}:\n${out}`);
        if (Date.now() > end) throw new Error(`timed out waiting for ${pattern}; output so far:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    kill(signal = 'SIGTERM') {
      child.kill(signal);
    },
  };
}

export const WEBHOOK_SECRET = 'test-webhook-secret';

/** A real bot process in webhook mode on a free port; resolves once it listens. */
export async function spawnWebhookBot(env: Record<string, string | undefined>, opts: SpawnOptions = {}): Promise<{ proc: BotProcess; port: number }> {
  const proc = spawnBot({
    BOT_MODE: 'webhook',
    WEBHOOK_URL: 'https://bot.example.go.id/hook',
    WEBHOOK_SECRET,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    SET_COMMANDS: 'false',
    ...env,
  }, opts);
  await proc.waitForOutput(/"msg":"http server listening"/, 60_000);
  const port = Number(/"port":(\d+),"mode":"webhook","msg":"http server listening"/.exec(proc.output())?.[1]);
  return { proc, port };
}

/**
 * Posts an update as Telegram would, with the secret header, and (given the fake API) makes the Bot API
 * call the bot put in its 200 answer, as Telegram would.
 */
export async function postUpdate(port: number, update: object, api?: { webhookAnswer(body: string): Promise<void> }): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}/hook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
    body: JSON.stringify(update),
  });
  const body = await res.text();
  if (res.status === 200 && api) await api.webhookAnswer(body);
  return { status: res.status, body };
}
