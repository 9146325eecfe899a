/**
 * A small in-process cache whose entries are answered for at most `ttlMs` after they were stored, on the
 * clock the caller passes (the app's injected clock), and of which at most `max` are kept (the least
 * recently used goes first). An entry stored "in the future" (the clock was set back since) is not
 * answered either: whichever way the clock jumps, nothing is served older than `ttlMs` by that clock.
 * Nothing is invalidated by hand: the bound on age is what keeps a cached answer true enough, across
 * processes too (a decision published by another process is not heard of here).
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; at: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly max: number,
  ) {}

  get(key: string, now: Date): V | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    this.entries.delete(key);
    const age = now.getTime() - hit.at;
    if (age < 0 || age >= this.ttlMs) return undefined;
    // Most recently used last, so the first key is the one to drop.
    this.entries.set(key, hit);
    return hit.value;
  }

  set(key: string, value: V, now: Date): void {
    this.entries.delete(key);
    this.entries.set(key, { value, at: now.getTime() });
    while (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
