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
  /**
   * Marks rows as claimed but not yet handed to Telegram, before the claim that takes them (issue 19
   * item 2: a batch is claimed in one statement, long before its last row is sent). Must succeed for
   * the batch claim to go ahead.
   */
  claiming(instanceId: string, rowIds: readonly number[]): Promise<void>;
  /**
   * Removes one row's mark just before its request leaves; true: this caller removed it and may send.
   * False: a takeover took the mark (this process was taken for dead) and queues the row again.
   */
  handOver(instanceId: string, rowId: number): Promise<boolean>;
  /** Removes marks without sending (rows finished otherwise, released, or never claimed). */
  unmark(instanceId: string, rowIds: readonly number[]): Promise<void>;
  /**
   * Removes marks and answers the rows whose mark this call removed: rows never handed over, safe to
   * send again. `rowIds` absent: every mark of that process.
   */
  takeUnsent(instanceId: string, rowIds?: readonly number[]): Promise<number[]>;
}

/**
 * Keys: `${prefix}held:<instance>` (hash job id → row id), `${prefix}held-by` (set of instances),
 * `${prefix}unsent:<instance>` (set of row ids claimed and not handed over). A hash or set outlives its
 * process on purpose (its taker deletes it); a day's expiry bounds what is left when no process ever
 * runs again on this Redis. A lost `unsent` set (Redis restarted empty) errs the safe way: its rows
 * count as handed over and end `failed: unknown`, never sent twice.
 */
export function createRedisHeldJobs(redis: Redis, prefix: string): HeldJobs {
  const key = (id: string) => `${prefix}held:${id}`;
  const holdersKey = `${prefix}held-by`;
  const unsentKey = (id: string) => `${prefix}unsent:${id}`;
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
    async claiming(instanceId, rowIds) {
      if (rowIds.length === 0) return;
      const res = await redis.multi().sadd(unsentKey(instanceId), ...rowIds.map(String)).pexpire(unsentKey(instanceId), ttlMs).exec();
      const failed = res?.find(([err]) => err);
      if (!res || failed) throw failed?.[0] ?? new Error('unsent marks: MULTI aborted');
    },
    async handOver(instanceId, rowId) {
      return (await redis.srem(unsentKey(instanceId), String(rowId))) === 1;
    },
    async unmark(instanceId, rowIds) {
      if (rowIds.length === 0) return;
      await redis.srem(unsentKey(instanceId), ...rowIds.map(String));
    },
    async takeUnsent(instanceId, rowIds) {
      if (rowIds === undefined) {
        const res = await redis.multi().smembers(unsentKey(instanceId)).del(unsentKey(instanceId)).exec();
        const [err, members] = res?.[0] ?? [new Error('unsent marks: MULTI aborted'), []];
        if (err) throw err;
        return ((members ?? []) as string[]).map(Number).filter(Number.isSafeInteger);
      }
      if (rowIds.length === 0) return [];
      // One SREM per row, in one round trip: each reply says whether this call removed that row's mark.
      const pipe = redis.pipeline();
      for (const id of rowIds) pipe.srem(unsentKey(instanceId), String(id));
      const res = (await pipe.exec()) ?? [];
      return rowIds.filter((_, i) => {
        const [err, n] = res[i] ?? [new Error('unsent marks: no reply'), 0];
        if (err) throw err;
        return n === 1;
      });
    },
  };
}
