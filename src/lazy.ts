/**
 * Libraries only some updates need, loaded on first use instead of at start. A bot process holds every
 * module it ever imported for its whole life, and most updates (a `/start`, a stock line, a button) never
 * touch a spreadsheet or a chart: importing exceljs, chart.js and the Skia canvas at start cost a
 * long-running process tens of MB of resident memory for nothing (figures: bench/README.md, "Memory").
 *
 * Each loader imports once and hands every later caller the same module. Types stay static
 * (`import type` at the user), so a call site reads as it would with a static import. A failed load
 * (a missing optional binary) is not cached: the next use tries again and fails the same visible way.
 *
 * test/process/lazy-imports.test.ts starts the real bot and checks that none of these are loaded.
 */
export function onFirstUse<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((err: unknown) => {
      loading = undefined;
      throw err;
    });
    return loading;
  };
}

/** exceljs (with its zip and XML stack): reading an uploaded XLSX, `/templat`, the XLSX report. */
export const loadExcelJs = onFirstUse(async () => (await import('exceljs')).default);

/** chart.js and @napi-rs/canvas (a native Skia binary): the stock chart image. */
export const loadChartCanvas = onFirstUse(async () => {
  const [chartJs, canvas] = await Promise.all([import('chart.js'), import('@napi-rs/canvas')]);
  return { chartJs, canvas };
});
