export interface Row {
  figure: string;
  value: string;
  target: string;
  peer: string;
  ratio: string;
}

export function printTable(rows: Row[]): void {
  const cols: (keyof Row)[] = ['figure', 'value', 'target', 'peer', 'ratio'];
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(cols));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(cols.map((c) => r[c])));
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const idx = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, idx)]!;
}

export interface LoadResult {
  perSecond: number;
  p50: number;
  p99: number;
  p90: number;
  count: number;
}

/** Runs `total` calls of `fn` with `concurrency` workers; each worker i owns chat i (per-chat order holds). */
export async function runLoad(total: number, concurrency: number, fn: (worker: number, i: number) => Promise<unknown>): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (;;) {
        const i = next++;
        if (i >= total) return;
        const t0 = performance.now();
        await fn(worker, i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: total / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), p90: percentile(latencies, 90), count: total };
}

export const fmt = (n: number, digits = 1) => n.toFixed(digits);

/** `BENCH_VERBOSE=1`: the benches print each measured phase as it ends (for comparing two builds). */
export const VERBOSE = process.env.BENCH_VERBOSE === '1';
