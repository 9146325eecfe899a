import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

/**
 * `BENCH_PROFILE=dir` writes a CPU profile of one measured phase (not of the setup around it) to
 * `dir/<name>.cpuprofile`, for Chrome DevTools or speedscope. `BENCH_HEAP=1` adds a sampling profile
 * of every allocation in the phase (collected or not) as `dir/<name>.heapprofile`: what feeds the GC.
 * Without BENCH_PROFILE this costs nothing.
 */
export async function startProfile(name: string): Promise<() => Promise<void>> {
  const dir = process.env.BENCH_PROFILE;
  if (!dir) return async () => undefined;
  const heap = process.env.BENCH_HEAP === '1';
  const session = new Session();
  session.connect();
  if (heap) {
    await session.post('HeapProfiler.enable');
    await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  } else {
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  return async () => {
    if (heap) {
      const { profile } = await session.post('HeapProfiler.stopSampling');
      await writeFile(`${dir}/${name}.heapprofile`, JSON.stringify(profile));
    } else {
      const { profile } = await session.post('Profiler.stop');
      await writeFile(`${dir}/${name}.cpuprofile`, JSON.stringify(profile));
    }
    session.disconnect();
  };
}
