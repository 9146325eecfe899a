import type { Redis } from 'ioredis';

/** A pg-boss job a process took and the delivery row it names. */
export interface HeldJob {
  jobId: string;
  rowId: number;
}

/**
 * Which delivery jobs each process holds right now. pg-boss 10 does not record which worker fetched an
 * active job, so without this a process that died holding jobs is only noticed when the jobs expire
 * (`DELIVERY_EXPIRE_SECONDS`, a minute by default). With it, whoever sees the holder's heartbeat gone
 * takes its jobs at once. Best-effort by design: a note that failed to be written only means those
 * jobs fall back to their expiry; the row's claim, not this record, decides who sends.
 */
export interface HeldJobs {
  hold(instanceId: string, jobs: readonly HeldJob[]): Promise<void>;
  release(instanceId: string, jobIds: readonly string[]): Promise<void>;
  /** Every process that noted jobs and has not been taken over (this one included). */
  holders(): Promise<string[]>;
  /** The jobs `instanceId` held, removed in the same step: two processes taking over get each job once between them. */
  takeFrom(instanceId: string): Promise<HeldJob[]>;
}

/**
 * Keys: `${prefix}held:<instance>` (hash job id → row id), `${prefix}held-by` (set of instances). A
 * hash outlives its process on purpose (its taker deletes it); a day's expiry bounds what is left when
 * no process ever runs again on this Redis.
 */
export function createRedisHeldJobs(redis: Redis, prefix: string): HeldJobs {
  const key = (id: string) => `${prefix}held:${id}`;
  const holdersKey = `${prefix}held-by`;
  const ttlMs = 24 * 3600 * 1000;
  return {
    async hold(instanceId, jobs) {
      if (jobs.length === 0) return;
      const fields: string[] = [];
      for (const j of jobs) fields.push(j.jobId, String(j.rowId));
      await redis.multi().sadd(holdersKey, instanceId).hset(key(instanceId), ...fields).pexpire(key(instanceId), ttlMs).exec();
    },
    async release(instanceId, jobIds) {
      if (jobIds.length === 0) return;
      await redis.hdel(key(instanceId), ...jobIds);
    },
    holders: () => redis.smembers(holdersKey),
    async takeFrom(instanceId) {
      const res = await redis.multi().hgetall(key(instanceId)).del(key(instanceId)).srem(holdersKey, instanceId).exec();
      const [err, held] = res?.[0] ?? [null, {}];
      if (err) throw err;
      return Object.entries((held ?? {}) as Record<string, string>).flatMap(([jobId, row]) => (Number.isSafeInteger(Number(row)) ? [{ jobId, rowId: Number(row) }] : []));
    },
  };
}
