import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Logger } from './logger.js';

/**
 * Where a best-effort step (a heartbeat, a lock renewal, a cleanup) reports the error it does not pass
 * on: the step carries on as before, but the error is counted and logged, not lost. `where` is a fixed
 * name (it is a metric label). Warn for what an operator should see once; debug for what repeats on
 * every beat of an outage that is already reported elsewhere (Redis's own error events).
 */
export type DropReporter = (where: string, err: unknown, level?: 'debug' | 'warn') => void;

/** Counts into `metrics` (when given) and logs to `log`. */
export function dropReporter(metrics: Metrics | undefined, log: Logger): DropReporter {
  return (where, err, level = 'debug') => {
    metrics?.droppedErrors.inc({ where });
    log[level]({ err, where }, `${where} failed; carrying on`);
  };
}

/**
 * Prometheus metrics of one bot process (scrape every process; sum in Prometheus). Counters are
 * incremented where things happen; the queue depth is read from Postgres when scraped.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly updates = new Counter({ name: 'etalase_updates_total', help: 'Updates handled, by type and outcome', labelNames: ['type', 'outcome'] as const, registers: [this.registry] });
  readonly handlerSeconds = new Histogram({
    name: 'etalase_handler_seconds',
    help: 'Time to handle one update (lock, session, handler, replies)',
    labelNames: ['type'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly deliveries = new Counter({ name: 'etalase_deliveries_total', help: 'Deliveries finished by this process, by status', labelNames: ['status'] as const, registers: [this.registry] });
  readonly tooManyRequests = new Counter({ name: 'etalase_telegram_429_total', help: '429 answers from the Bot API', registers: [this.registry] });
  /** The Mini App's refused calls (401/403/429): forged or stale initData, non-officials, a flood. */
  readonly webappRefusals = new Counter({ name: 'etalase_webapp_refusals_total', help: 'Mini App API calls refused, by status and reason', labelNames: ['status', 'reason'] as const, registers: [this.registry] });
  readonly droppedErrors = new Counter({
    name: 'etalase_dropped_errors_total',
    help: 'Errors of best-effort steps that were logged and not passed on, by step',
    labelNames: ['where'] as const,
    registers: [this.registry],
  });
  readonly queueDepth: Gauge;
  readonly activeFlows: Gauge;
  private readonly flows = new Map<string, number>();

  constructor(opts: { queueDepth?: () => Promise<number>; now: () => Date }) {
    collectDefaultMetrics({ register: this.registry, prefix: 'etalase_' });
    const depth = opts.queueDepth;
    this.queueDepth = new Gauge({
      name: 'etalase_delivery_queue_depth',
      help: 'Deliveries queued or being sent (all processes)',
      registers: [this.registry],
      async collect() {
        if (depth) this.set(await depth().catch(() => Number.NaN));
      },
    });
    const flows = this.flows;
    this.activeFlows = new Gauge({
      name: 'etalase_active_flows',
      help: 'Guided conversations in progress that this process has seen in the last 24 h',
      registers: [this.registry],
      collect() {
        const cutoff = opts.now().getTime() - 24 * 3600 * 1000;
        for (const [k, at] of flows) if (at < cutoff) flows.delete(k);
        this.set(flows.size);
      },
    });
  }

  flowTouched(key: string, active: boolean, at: number): void {
    if (active) this.flows.set(key, at);
    else this.flows.delete(key);
  }
}
