import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Document } from 'telegraf/types';

/**
 * The fake Bot API in its own process for the bench: Telegram does not run on the bot's CPU, so
 * neither should its stand-in when we measure the bot.
 */
export interface FakeApiProcess {
  apiRoot: string;
  stop: () => void;
  child: ChildProcess;
  /** Successful sendMessage calls and 429 answers so far (counted inside the fake's process). */
  stats(): Promise<{ sent: number; tooMany: number }>;
  /** Every accepted sendMessage so far as [chat id, arrival ms] (started with `record`). */
  sends(): Promise<[number, number][]>;
  /** Stores a file as if a user had uploaded it; answers its Telegram `Document`. */
  putFile(bytes: Buffer, fileName: string): Promise<Document>;
}

export async function startFakeApiProcess(token: string, enforcePerSecond = 0, opts: { record?: boolean } = {}): Promise<FakeApiProcess> {
  const script = fileURLToPath(new URL('./fake-api-server.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), script, token, String(enforcePerSecond), opts.record ? 'record' : ''], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const apiRoot = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /listening (http:\/\/\S+)/.exec(buf);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => { reject(new Error(`fake API exited ${code}`)); });
  });
  return {
    apiRoot,
    stop: () => child.kill('SIGKILL'),
    child,
    stats: async () => {
      // The fake folds its record into counters every 200 ms.
      await new Promise((r) => setTimeout(r, 250));
      return new Promise((resolve) => {
        child.once('message', (m) => { resolve(m as { sent: number; tooMany: number }); });
        child.send('stats');
      });
    },
    sends: async () => {
      await new Promise((r) => setTimeout(r, 250));
      return new Promise((resolve) => {
        const onMessage = (m: unknown) => {
          if (typeof m !== 'object' || m === null || !('sends' in m)) return;
          child.off('message', onMessage);
          resolve(m.sends as [number, number][]);
        };
        child.on('message', onMessage);
        child.send('sends');
      });
    },
    putFile: (bytes, fileName) =>
      new Promise((resolve) => {
        const onMessage = (m: unknown) => {
          if (typeof m !== 'object' || m === null || !('document' in m)) return;
          child.off('message', onMessage);
          resolve(m.document as Document);
        };
        child.on('message', onMessage);
        child.send({ putFile: bytes.toString('base64'), fileName });
      }),
  };
}
