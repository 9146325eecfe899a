import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * The fake Bot API in its own process for the bench: Telegram does not run on the bot's CPU, so
 * neither should its stand-in when we measure the bot.
 */
export async function startFakeApiProcess(token: string): Promise<{ apiRoot: string; stop: () => void; child: ChildProcess }> {
  const script = fileURLToPath(new URL('./fake-api-server.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), script, token], { stdio: ['ignore', 'pipe', 'inherit'] });
  const apiRoot = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /listening (http:\/\/\S+)/.exec(buf);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`fake API exited ${code}`)));
  });
  return { apiRoot, stop: () => child.kill('SIGKILL'), child };
}
