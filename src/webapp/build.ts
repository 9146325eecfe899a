/**
 * Bundles the Mini App: `npx tsx src/webapp/build.ts [--if-missing] [outDir]` (default dist/webapp) writes
 * index.html, app.js and app.css (relative paths, so the page works under any prefix), prints the
 * gzipped size and fails above the budget of 150 KB gzipped.
 */
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

export const GZIP_BUDGET_BYTES = 150 * 1024;
const HERE = dirname(fileURLToPath(import.meta.url));
const FILES = ['index.html', 'app.js', 'app.css'] as const;

export interface WebappBuild {
  outDir: string;
  /** Gzipped bytes per file and in total (what a browser downloads). */
  gzip: Record<(typeof FILES)[number], number> & { total: number };
}

export async function buildWebapp(outDir: string): Promise<WebappBuild> {
  const out = resolve(outDir);
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  await build({
    entryPoints: { app: join(HERE, 'main.tsx') },
    outdir: out,
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2020',
    platform: 'browser',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    tsconfig: join(HERE, 'tsconfig.json'),
    define: { 'process.env.NODE_ENV': '"production"' },
    legalComments: 'none',
    sourcemap: false,
    logLevel: 'warning',
  });
  await writeFile(join(out, 'index.html'), await readFile(join(HERE, 'index.html')));
  const gzip = { total: 0 } as WebappBuild['gzip'];
  for (const f of FILES) {
    const bytes = gzipSync(await readFile(join(out, f)), { level: 9 }).length;
    gzip[f] = bytes;
    gzip.total += bytes;
  }
  return { outDir: out, gzip };
}

function kb(n: number): string {
  return `${(n / 1024).toFixed(1)} KB`;
}

async function cli(): Promise<void> {
  const args = process.argv.slice(2);
  const ifMissing = args.includes('--if-missing');
  const outDir = args.find((a) => !a.startsWith('--')) ?? 'dist/webapp';
  // `npm start` (prestart) builds only a page that is not there: a restart costs nothing.
  if (ifMissing && existsSync(join(outDir, 'index.html'))) return;
  const result = await buildWebapp(outDir);
  const parts = FILES.map((f) => `${f} ${kb(result.gzip[f])}`).join(', ');
  console.log(`webapp built into ${result.outDir}: ${kb(result.gzip.total)} gzipped (${parts}); budget ${kb(GZIP_BUDGET_BYTES)}`);
  if (result.gzip.total > GZIP_BUDGET_BYTES) {
    console.error(`webapp is over budget: ${kb(result.gzip.total)} gzipped > ${kb(GZIP_BUDGET_BYTES)}`);
    process.exitCode = 1;
  }
}

const invoked = process.argv[1];
if (invoked !== undefined && import.meta.url === pathToFileURL(resolve(invoked)).href) {
  cli().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
