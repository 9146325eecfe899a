import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time of every process on the machine, grouped by command name (Linux /proc). On a 2-core machine
 * Postgres, Redis and the fake Bot API run beside the bot, so an update's cost is what all of them
 * spend on it, not only the bot's own CPU.
 */
export type CpuByProcess = Map<string, number>;

const TICK_MS = 10; // USER_HZ is 100 on Linux

export function cpuByProcess(): CpuByProcess {
  const out: CpuByProcess = new Map();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return out;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      const ms = (Number(fields[11]) + Number(fields[12])) * TICK_MS;
      const group = Number(pid) === process.pid ? 'bench' : comm.startsWith('postgres') ? 'postgres' : comm.startsWith('redis') ? 'redis' : comm.startsWith('kworker') ? 'kernel' : comm;
      out.set(group, (out.get(group) ?? 0) + ms);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return out;
}

/** Per-operation CPU ms by process group between two readings (groups under 0.005 ms dropped). */
export function cpuPerOp(before: CpuByProcess, after: CpuByProcess, ops: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of after) {
    const d = (v - (before.get(k) ?? 0)) / ops;
    if (d >= 0.005) out[k] = Number(d.toFixed(3));
  }
  return out;
}
