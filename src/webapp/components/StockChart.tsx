import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import type { I18n } from '../i18n.js';

interface Props {
  i18n: I18n;
  points: { at: string; quantity: number }[];
  committed: number;
  unit: string;
}

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v === '' ? fallback : v;
}

/** `#rrggbb` with an alpha byte; any other colour as it is (appending to `#rgb` would make it invalid). */
function withAlpha(color: string, alpha: string): string {
  return /^#[0-9a-f]{6}$/i.test(color) ? `${color}${alpha}` : color;
}

const DAY_S = 86_400;
const DAY_INCRS = [1, 2, 3, 7, 14, 30, 61, 91, 182, 365].map((d) => d * DAY_S);

/** Dates for ticks a day or more apart; otherwise times, with the date under the first tick of each day. */
function timeLabels(i18n: I18n, splits: number[], incr: number): string[] {
  if (incr >= DAY_S) return splits.map((v) => i18n.shortDate(v * 1000));
  let day = '';
  return splits.map((v) => {
    const d = i18n.shortDate(v * 1000);
    const t = i18n.time(v * 1000);
    const label = d === day ? t : `${t}\n${d}`;
    day = d;
    return label;
  });
}

/** The entry's stock over time, with the commitment as a dashed horizontal line. */
export function StockChart({ i18n, points, committed, unit }: Props) {
  const host = useRef<HTMLDivElement>(null);
  // The canvas is painted with the theme's colours: Telegram's theme_changed (applyTheme rewrites
  // the variables on <html>) redraws it.
  const [theme, setTheme] = useState(0);
  useEffect(() => {
    const mo = new MutationObserver(() => {
      setTheme((n) => n + 1);
    });
    mo.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'data-theme'] });
    return () => {
      mo.disconnect();
    };
  }, []);

  useEffect(() => {
    const el = host.current;
    if (el === null || points.length === 0) return;
    const sorted = [...points].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    const xs = sorted.map((p) => Date.parse(p.at) / 1000);
    const ys = sorted.map((p) => p.quantity);
    const commitment = xs.map(() => committed);
    // Reports days apart get one tick a day (or coarser), never "30 Nov" three times over.
    const dayTicks = xs.length > 1 && xs[xs.length - 1]! - xs[0]! >= 2 * DAY_S;
    const text = cssVar('--tg-theme-text-color', '#000');
    const hint = cssVar('--tg-theme-hint-color', '#888');
    const accent = cssVar('--tg-theme-button-color', '#2481cc');
    const warn = cssVar('--tg-theme-destructive-text-color', '#e53935');
    const axis = { stroke: text, grid: { stroke: withAlpha(hint, '33') }, ticks: { stroke: withAlpha(hint, '55') } };
    const opts: uPlot.Options = {
      width: Math.max(240, el.clientWidth),
      height: 200,
      legend: { show: true },
      scales: { x: { time: true }, y: { range: (_u, min, max) => [Math.min(0, min), Math.max(max, committed) * 1.1 || 1] } },
      // uPlot's defaults are American dates ("11/27") and an English "Time" in the legend.
      axes: [
        { ...axis, space: 60, ...(dayTicks ? { incrs: DAY_INCRS } : {}), values: (_u, splits, _axis, _space, incr) => timeLabels(i18n, splits, incr) },
        { ...axis, values: (_u, splits) => splits.map((v) => i18n.num(v)) },
      ],
      series: [
        { label: i18n.t('reportAt'), value: (_u, v: number | null) => (v === null ? '—' : i18n.dateTime(new Date(v * 1000).toISOString())) },
        { label: `${i18n.t('chartStock')} (${unit})`, stroke: accent, width: 2, points: { show: true, size: 5 }, value: (_u, v: number | null) => (v === null ? '—' : i18n.num(v)) },
        { label: i18n.t('chartCommitted'), stroke: warn, width: 1.5, dash: [6, 4], points: { show: false }, value: (_u, v: number | null) => (v === null ? '—' : i18n.num(v)) },
      ],
    };
    const plot = new uPlot(opts, [xs, ys, commitment], el);
    const ro = new ResizeObserver(() => {
      plot.setSize({ width: Math.max(240, el.clientWidth), height: 200 });
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [points, committed, unit, i18n, theme]);

  if (points.length === 0) return <p class="hint">{i18n.t('chartEmpty')}</p>;
  return <div class="chart" ref={host} data-testid="stock-chart" role="img" aria-label={i18n.t('chartTitle')} />;
}
