import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

/**
 * `BENCH_PROFILE=dir` writes a CPU profile of one measured phase (not of the setup around it) to
 * `dir/<name>.cpuprofile`, for Chrome DevTools or speedscope. Without it this costs nothing.
 */
export async function startProfile(name: string): Promise<() => Promise<void>> {
  const dir = process.env.BENCH_PROFILE;
  if (!dir) return async () => undefined;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    await writeFile(`${dir}/${name}.cpuprofile`, JSON.stringify(profile));
    session.disconnect();
  };
}
