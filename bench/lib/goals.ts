import type { Row } from './table.js';

/**
 * Issue 19's table, read from one run's rows: each goal is stated against a peer measured in the same
 * run (the machine is noisy, so an absolute threshold would pass or fail with the hour). A part that
 * did not run shows "not run".
 */
export function issue19Goals(rows: Row[]): Row[] {
  const find = (re: RegExp) => rows.find((r) => re.test(r.figure));
  const num = (s: string | undefined) => (s === undefined ? Number.NaN : Number.parseFloat(s));
  const out: Row[] = [];
  const goal = (figure: string, value: number, peer: number, peerName: string, met: boolean, target: string, digits = 1) =>
    out.push({
      figure,
      value: Number.isNaN(value) ? 'not run' : value.toFixed(digits),
      target,
      peer: Number.isNaN(peer) ? 'not run' : `${peer.toFixed(digits)} (${peerName})`,
      ratio: Number.isNaN(value) || Number.isNaN(peer) ? '-' : `${(value / peer).toFixed(2)} ${met ? 'met' : 'NOT MET'}`,
    });

  const reportP99 = num(find(/^one-line report p99 ms/)?.value);
  const reportRate = num(find(/^one-line stock reports\/s/)?.value);
  const tinjauP99 = num(find(/^\/tinjau p99 ms/)?.value);
  goal('/tinjau p99 ms', tinjauP99, reportP99, 'one-line report p99', tinjauP99 <= reportP99, '≤ peer');

  const one = num(find(/^delivery drain, \d+ recipients, 1 process/)?.value);
  const two = num(find(/^delivery drain, \d+ recipients, 2 processes/)?.value);
  goal('delivery drain, 1 process (msg/s)', one, reportRate, 'one-line reports/s', one >= reportRate, '≥ peer', 0);
  goal('delivery drain, 2 processes (msg/s)', two, reportRate, 'one-line reports/s', two >= reportRate && two >= one, '≥ peer and ≥ 1 process', 0);

  // The webhook part's own ratio is the median of its rounds' ratios (each round alternates bot and peer).
  const start = find(/^\/start through the webhook, returning users, updates\/s/);
  const startRatio = num(start?.ratio);
  out.push({
    figure: '/start through the webhook, returning users (updates/s)',
    value: start?.value ?? 'not run',
    target: 'ratio ≥ 0.9',
    peer: start ? `${num(start.peer).toFixed(0)} (minimal peer)` : 'not run',
    ratio: Number.isNaN(startRatio) ? '-' : `${startRatio.toFixed(2)} ${startRatio >= 0.9 ? 'met' : 'NOT MET'}`,
  });
  const rss = find(/^RSS MB max during the load/);
  const rssValue = num(rss?.value);
  const rssPeer = num(rss?.peer);
  goal('resident memory, max under that load (MB)', rssValue, rssPeer, 'minimal peer', rssValue <= 1.3 * rssPeer, '≤ 1.3 × peer', 0);

  const restart = find(/^after SIGKILL mid-broadcast/);
  const last = num(restart?.value);
  out.push({
    figure: 'after SIGKILL mid-broadcast, last message after the restart (s)',
    value: Number.isNaN(last) ? 'not run' : last.toFixed(1),
    target: '≤ 10, exactly once',
    peer: restart?.peer ?? '-',
    ratio: Number.isNaN(last) ? '-' : last <= 10 && restart?.peer.startsWith('exactly once') ? 'met' : 'NOT MET',
  });
  return out;
}
