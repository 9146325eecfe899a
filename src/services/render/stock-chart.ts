// Server-side PNG chart of a product's stock over time: Chart.js v4 drawn on
// @napi-rs/canvas (Skia, prebuilt binary shipped as an npm optional dependency,
// no browser, no install script). The x axis is a plain linear axis of epoch ms
// whose ticks and labels we build ourselves in the caller's IANA zone, so no
// Chart.js date adapter is needed.
//
// Fonts: Skia finds the fonts under /usr/share/fonts on its own. We also
// register DejaVu Sans explicitly when the Debian package fonts-dejavu-core is
// installed and ask for it first; on a machine without any system font the
// chart still renders, but its text is invisible (Skia ships no font).
import { existsSync } from 'node:fs';
import type { SKRSContext2D } from '@napi-rs/canvas';
import type { ChartConfiguration, Plugin, Scale } from 'chart.js';
import { DateTime, IANAZone } from '../../domain/luxon.js';
import { loadChartCanvas } from '../../lazy.js';

export interface StockPoint { at: Date; quantity: number }
/** A dashed horizontal line: a campaign's committed quantity, with the legend's label for it. */
export interface CommitmentLine { label: string; quantity: number }
export interface StockChartInput {
  title: string;
  unit: string;
  points: StockPoint[];
  /** One commitment line labelled `labels.committed` (the review card's entry). */
  committed?: number | null;
  /** Several commitment lines, each with its own label (the exporter's open entries); drawn after `committed`. */
  commitments?: CommitmentLine[];
  timeZone: string;
  locale: 'id' | 'en';
  labels: { stock: string; committed: string; noData: string };
  width?: number;
  height?: number;
}

const DEFAULT_WIDTH = 800;
const DEFAULT_HEIGHT = 450;
const MIN_SIDE = 100;
const MAX_SIDE = 4000;

const DEJAVU_DIR = '/usr/share/fonts/truetype/dejavu';
const FONT_FAMILY = '"DejaVu Sans", "Liberation Sans", Arial, sans-serif';
const STOCK_COLOR = '#1f6feb';
const COMMITTED_COLOR = '#d1242f';
// Further commitment lines: distinct from the stock's blue and from each other, dark enough on white.
const COMMITMENT_COLORS = [COMMITTED_COLOR, '#9a6700', '#8250df', '#1a7f37', '#bf3989'];
const MAX_COMMITMENT_LINES = COMMITMENT_COLORS.length;
const DASH = [8, 5];
const TEXT_COLOR = '#1f2328';
const GRID_COLOR = '#e5e7eb';

const MONTHS: Record<'id' | 'en', readonly string[]> = {
  id: ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'],
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
};

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Reports minutes apart still get an hour of axis, so it holds whole-hour (or half-hour) ticks. */
const MIN_WINDOW_MS = HOUR_MS;
/** A single report (or several at one instant) sits in the middle of six hours, labelled by the hour. */
const SINGLE_PAD_MS = 3 * HOUR_MS;

let initialised = false;
/**
 * chart.js and the Skia canvas load with the first chart, not at start (src/lazy.ts): the native
 * binary alone is tens of MB resident, and most processes draw no chart for hours.
 */
async function init() {
  const { chartJs, canvas } = await loadChartCanvas();
  if (!initialised) {
    initialised = true;
    const { Chart, Legend, LinearScale, LineController, LineElement, PointElement, Title } = chartJs;
    Chart.register(LineController, LineElement, PointElement, LinearScale, Legend, Title);
    for (const file of ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf']) {
      const path = `${DEJAVU_DIR}/${file}`;
      if (existsSync(path)) canvas.GlobalFonts.registerFromPath(path, 'DejaVu Sans');
    }
  }
  return { Chart: chartJs.Chart, createCanvas: canvas.createCanvas };
}

function checkSide(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < MIN_SIDE || v > MAX_SIDE) {
    throw new RangeError(`renderStockChart: ${name} must be an integer in ${MIN_SIDE}..${MAX_SIDE}, got ${v}`);
  }
  return v;
}

/** Draws the chart and returns PNG bytes. Throws RangeError on an unknown zone, a bad size or a bad point. */
export async function renderStockChart(input: StockChartInput): Promise<Buffer> {
  const width = checkSide('width', input.width, DEFAULT_WIDTH);
  const height = checkSide('height', input.height, DEFAULT_HEIGHT);
  if (!IANAZone.isValidZone(input.timeZone)) {
    throw new RangeError(`renderStockChart: unknown time zone ${input.timeZone}`);
  }
  const points = input.points.map((p, i) => {
    const ms = p.at.getTime();
    if (!Number.isFinite(ms) || !Number.isFinite(p.quantity)) {
      throw new RangeError(`renderStockChart: point ${i} has an invalid date or quantity`);
    }
    return { x: ms, y: p.quantity };
  });
  points.sort((a, b) => a.x - b.x);
  const committed = input.committed ?? null;
  if (committed !== null && !Number.isFinite(committed)) {
    throw new RangeError('renderStockChart: committed must be a finite number');
  }

  const { Chart, createCanvas } = await init();
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  if (points.length === 0) {
    drawNoData(ctx, width, height, input.title, input.labels.noData);
    return canvas.encode('png');
  }

  const last = points[points.length - 1]!;
  const axis = timeAxis(points.map((p) => p.x), { timeZone: input.timeZone, locale: input.locale, width });
  const xMin = axis.min;
  const xMax = axis.max;
  const single = new Set(points.map((p) => p.x)).size === 1;
  // The last level holds until now (or the axis end): extend it without a marker. A single report is a
  // dot with its quantity beside it instead: a line from one report would claim a history there is not.
  const stockData = single ? points : [...points, { x: xMax, y: last.y }];
  const markerCount = points.length;
  const radius = single ? 6 : markerCount > 300 ? 1.5 : markerCount > 100 ? 2 : 3.5;

  const numberFormat = new Intl.NumberFormat(input.locale === 'id' ? 'id-ID' : 'en-US', { maximumFractionDigits: 2 });
  const labelOf = new Map(axis.ticks.map((t) => [t.value, t.label]));
  const lines: { label: string; quantity: number }[] = [
    ...(committed === null ? [] : [{ label: input.labels.committed, quantity: committed }]),
    ...(input.commitments ?? []),
  ].slice(0, MAX_COMMITMENT_LINES);
  for (const l of lines) {
    if (!Number.isFinite(l.quantity)) throw new RangeError('renderStockChart: a commitment must be a finite number');
  }

  const font = (size: number, weight: 'normal' | 'bold' = 'normal') => ({ family: FONT_FAMILY, size, weight });

  const datasets: ChartConfiguration<'line', { x: number; y: number }[]>['data']['datasets'] = [
    {
      label: input.labels.stock,
      data: stockData,
      stepped: 'before',
      borderColor: STOCK_COLOR,
      backgroundColor: STOCK_COLOR,
      borderWidth: 2,
      pointRadius: (c) => (c.dataIndex < markerCount ? radius : 0),
      pointHoverRadius: 0,
      showLine: !single,
      fill: false,
    },
  ];
  lines.forEach((l, i) => {
    const color = COMMITMENT_COLORS[i] ?? COMMITTED_COLOR;
    datasets.push({
      label: l.label,
      data: [{ x: xMin, y: l.quantity }, { x: xMax, y: l.quantity }],
      borderColor: color,
      backgroundColor: color,
      borderWidth: 2,
      borderDash: DASH,
      pointRadius: 0,
      pointHoverRadius: 0,
      fill: false,
    });
  });

  const whiteBackground: Plugin<'line'> = {
    id: 'etalaseWhiteBackground',
    beforeDraw(chart) {
      // chart.js types ctx as the DOM CanvasRenderingContext2D, absent from lib ES2023: it is the canvas's context.
      const c = chart.ctx as unknown as SKRSContext2D;
      c.save();
      c.fillStyle = '#ffffff';
      c.fillRect(0, 0, chart.width, chart.height);
      c.restore();
    },
  };

  const dotLabel: Plugin<'line'> = {
    id: 'etalaseSingleReportLabel',
    afterDatasetsDraw(chart) {
      if (!single) return;
      const point = chart.getDatasetMeta(0).data[0];
      if (!point) return;
      const c = chart.ctx as unknown as SKRSContext2D;
      const text = `${numberFormat.format(last.y)} ${input.unit}`.trim();
      c.save();
      c.font = `bold 14px ${FONT_FAMILY}`;
      c.fillStyle = STOCK_COLOR;
      c.textBaseline = 'bottom';
      // Beside the dot, on the side with room: above it unless it sits at the top of the plot.
      c.textAlign = 'center';
      const above = point.y - 12 > chart.chartArea.top + 14;
      c.textBaseline = above ? 'bottom' : 'top';
      c.fillText(text, point.x, above ? point.y - 12 : point.y + 12);
      c.restore();
    },
  };

  const config: ChartConfiguration<'line', { x: number; y: number }[]> = {
    type: 'line',
    data: { datasets },
    plugins: [whiteBackground, dotLabel],
    options: {
      responsive: false,
      animation: false,
      devicePixelRatio: 1,
      parsing: false,
      normalized: true,
      events: [],
      layout: { padding: { top: 8, right: 24, bottom: 8, left: 8 } },
      color: TEXT_COLOR,
      plugins: {
        title: { display: true, text: input.title, color: TEXT_COLOR, font: font(18, 'bold'), padding: { top: 6, bottom: 6 } },
        legend: {
          display: true,
          position: 'top',
          labels: {
            color: TEXT_COLOR,
            font: font(13),
            boxHeight: 0,
            boxWidth: 28,
            // Draw each legend entry as a line (dashed for "committed") instead of a box.
            generateLabels: (chart) =>
              chart.data.datasets.map((ds, i) => ({
                text: ds.label ?? '',
                datasetIndex: i,
                strokeStyle: i === 0 ? STOCK_COLOR : (COMMITMENT_COLORS[i - 1] ?? COMMITTED_COLOR),
                fillStyle: i === 0 ? STOCK_COLOR : (COMMITMENT_COLORS[i - 1] ?? COMMITTED_COLOR),
                lineWidth: 2,
                lineDash: i === 0 ? [] : DASH,
                fontColor: TEXT_COLOR,
                hidden: false,
              })),
          },
        },
      },
      scales: {
        x: {
          type: 'linear',
          min: xMin,
          max: xMax,
          grid: { color: GRID_COLOR },
          afterBuildTicks: (scale: Scale) => {
            scale.ticks = axis.ticks.map((t) => ({ value: t.value }));
          },
          ticks: {
            autoSkip: false,
            maxRotation: 0,
            color: TEXT_COLOR,
            font: font(12),
            callback: (value) => labelOf.get(Number(value)) ?? '',
          },
        },
        y: {
          type: 'linear',
          beginAtZero: true,
          grace: '5%',
          grid: { color: GRID_COLOR },
          title: { display: input.unit.length > 0, text: input.unit, color: TEXT_COLOR, font: font(13) },
          ticks: { color: TEXT_COLOR, font: font(12), callback: (value) => numberFormat.format(Number(value)) },
        },
      },
    },
  };

  // Chart.js only needs the 2D context; its BasicPlatform is used because there is no DOM.
  const chart = new Chart(ctx, config);
  try {
    return await canvas.encode('png');
  } finally {
    chart.destroy();
  }
}

/** One tick of the time axis: where it is (epoch ms) and its label, one line or two (time, then date). */
export interface AxisTick { value: number; label: string | string[] }
export type AxisStep = 'minutes' | 'hours' | 'days' | 'weeks' | 'months' | 'years';
/** The x axis as the chart draws it: its range, the unit of its step, and every tick with its label. */
export interface TimeAxis { min: number; max: number; step: AxisStep; ticks: AxisTick[] }

/**
 * The time axis of a stock chart, pure so that it can be checked without reading pixels: the range
 * around the reports, ticks in the zone's local time, and their labels. Reports within one day are
 * labelled by the hour ("09:00", the date under the first tick of each day); a single report sits in
 * six hours; there are always at least two ticks.
 */
export function timeAxis(times: readonly number[], opts: { timeZone: string; locale: 'id' | 'en'; width?: number }): TimeAxis {
  if (times.length === 0 || times.some((t) => !Number.isFinite(t))) throw new RangeError('timeAxis: needs at least one finite time');
  if (!IANAZone.isValidZone(opts.timeZone)) throw new RangeError(`timeAxis: unknown time zone ${opts.timeZone}`);
  const first = Math.min(...times);
  const last = Math.max(...times);
  const span = last - first;
  let min: number;
  let max: number;
  if (span === 0) {
    min = first - SINGLE_PAD_MS;
    max = last + SINGLE_PAD_MS;
  } else {
    // 4% padding so the first and last markers are not cut by the plot edge, and never under an hour.
    const pad = Math.max(span * 0.04, MINUTE_MS, (MIN_WINDOW_MS - span) / 2);
    min = first - pad;
    max = last + pad;
  }
  const maxTicks = Math.max(2, Math.floor(((opts.width ?? DEFAULT_WIDTH) - 120) / 90));
  // Within one day the reader wants the hour of each report, whatever the width allows.
  const built = buildTimeTicks(min, max, opts.timeZone, maxTicks, span <= DAY_MS);
  let ticks = built.values;
  let step = built.step;
  if (ticks.length < 2) {
    // No nice tick falls inside (a narrow range across a day boundary): the range's own ends, to the minute.
    ticks = [Math.ceil(min / MINUTE_MS) * MINUTE_MS, Math.floor(max / MINUTE_MS) * MINUTE_MS];
    step = max - min <= 3 * DAY_MS ? 'hours' : 'days';
  }
  const withTime = step === 'minutes' || step === 'hours';
  const yearful = DateTime.fromMillis(min, { zone: opts.timeZone }).year !== DateTime.fromMillis(max, { zone: opts.timeZone }).year;
  return {
    min,
    max,
    step,
    ticks: ticks.map((value, i) => ({ value, label: formatTick(value, ticks[i - 1] ?? null, withTime, opts.timeZone, opts.locale, yearful) })),
  };
}

// Picks the smallest "nice" step (minutes, hours, days, weeks, months, years) that keeps
// at most maxTicks ticks between min and max, aligned to local midnights,
// Mondays, first days of month or of year in the given zone.
function buildTimeTicks(min: number, max: number, zone: string, maxTicks: number, hoursOnly: boolean): { values: number[]; step: AxisStep } {
  const span = max - min;
  const clock: { unit: 'minutes' | 'hours'; n: number; approx: number }[] = [
    ...[15, 30].map((n) => ({ unit: 'minutes' as const, n, approx: n * MINUTE_MS })),
    ...[1, 2, 3, 6, 12].map((n) => ({ unit: 'hours' as const, n, approx: n * HOUR_MS })),
  ];
  const calendar: { unit: 'days' | 'weeks' | 'months' | 'years'; n: number; approx: number }[] = [
    ...[1, 2, 3].map((n) => ({ unit: 'days' as const, n, approx: n * DAY_MS })),
    ...[1, 2].map((n) => ({ unit: 'weeks' as const, n, approx: n * 7 * DAY_MS })),
    ...[1, 2, 3, 6].map((n) => ({ unit: 'months' as const, n, approx: n * 30.44 * DAY_MS })),
    ...[1, 2, 5, 10, 25, 50, 100].map((n) => ({ unit: 'years' as const, n, approx: n * 365.25 * DAY_MS })),
  ];
  const steps = hoursOnly ? clock : [...clock, ...calendar];
  const step = steps.find((s) => span / s.approx <= maxTicks) ?? steps[steps.length - 1]!;
  const startLocal = DateTime.fromMillis(min, { zone });
  let cursor: DateTime;
  switch (step.unit) {
    case 'minutes': {
      const hour = startLocal.startOf('hour');
      cursor = hour.plus({ minutes: Math.floor(startLocal.diff(hour, 'minutes').minutes / step.n) * step.n });
      break;
    }
    case 'hours': {
      const day = startLocal.startOf('day');
      cursor = day.plus({ hours: Math.floor(startLocal.diff(day, 'hours').hours / step.n) * step.n });
      break;
    }
    case 'days': cursor = startLocal.startOf('day'); break;
    case 'weeks': cursor = startLocal.startOf('week'); break;
    case 'months': {
      const m = startLocal.startOf('month');
      cursor = m.minus({ months: (m.month - 1) % step.n });
      break;
    }
    case 'years': {
      const y = startLocal.startOf('year');
      cursor = y.minus({ years: y.year % step.n });
      break;
    }
  }
  const out: number[] = [];
  for (let i = 0; i < 1000 && cursor.toMillis() <= max; i++) {
    const ms = cursor.toMillis();
    if (ms >= min) out.push(ms);
    cursor = cursor.plus({ [step.unit]: step.n });
  }
  return { values: out, step: step.unit };
}

// "3 Nov" (with the year when the axis spans two years); hourly ticks read
// "14:00" with the date below it on the first tick of each local day.
function formatTick(
  ms: number, previous: number | null, withTime: boolean, zone: string, locale: 'id' | 'en', yearful: boolean,
): string | string[] {
  const t = DateTime.fromMillis(ms, { zone });
  const date = `${t.day} ${MONTHS[locale][t.month - 1] ?? ''}${yearful ? ` ${t.year}` : ''}`;
  if (!withTime) return date;
  const newDay = previous === null || !DateTime.fromMillis(previous, { zone }).hasSame(t, 'day');
  return newDay ? [t.toFormat('HH:mm'), date] : [t.toFormat('HH:mm'), ''];
}

function drawNoData(ctx: SKRSContext2D, width: number, height: number, title: string, noData: string): void {
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = TEXT_COLOR;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.font = `bold 18px ${FONT_FAMILY}`;
  ctx.fillText(title, width / 2, 30, width - 40);
  ctx.strokeStyle = GRID_COLOR;
  ctx.lineWidth = 1;
  ctx.strokeRect(40.5, 60.5, width - 81, height - 101);
  ctx.fillStyle = '#57606a';
  ctx.font = `16px ${FONT_FAMILY}`;
  ctx.fillText(noData, width / 2, 60 + (height - 100) / 2, width - 100);
}
