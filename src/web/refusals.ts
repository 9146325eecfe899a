/** Counts refused requests (401, 403, 429) for `/metrics`; the lead wires it to prom-client. */
export interface RefusalMetrics {
  refused(status: 401 | 403 | 429, reason: string): void;
}

export const REFUSALS_PER_WINDOW = 30;
export const REFUSAL_WINDOW_MS = 60_000;

/**
 * Refusals per remote address in a fixed one-minute window: an address that keeps failing (guessing
 * tokens, replaying initData) is answered 429 until its window ends, before any database work.
 */
export class RefusalLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly now: () => Date,
    private readonly limit = REFUSALS_PER_WINDOW,
    private readonly windowMs = REFUSAL_WINDOW_MS,
  ) {}

  private current(address: string): { start: number; count: number } | undefined {
    const w = this.windows.get(address);
    if (w && this.now().getTime() - w.start >= this.windowMs) {
      this.windows.delete(address);
      return undefined;
    }
    return w;
  }

  blocked(address: string): boolean {
    return (this.current(address)?.count ?? 0) >= this.limit;
  }

  record(address: string): void {
    const w = this.current(address);
    if (w) w.count++;
    else this.windows.set(address, { start: this.now().getTime(), count: 1 });
    // Bounded memory under a flood of addresses: the oldest windows go first.
    if (this.windows.size > 10_000) {
      const oldest = this.windows.keys().next().value;
      if (oldest !== undefined) this.windows.delete(oldest);
    }
  }
}
