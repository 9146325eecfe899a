import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The layering of `src/`, checked on the real import statements (read with TypeScript's own pre-parser,
 * so `import type` and re-exports count too): bot → services → domain / db, features → kernel, and no
 * loop between folders. A loop is what made a feature impossible to read on its own before (exporter ⇄
 * flows ⇄ official).
 */
const SRC = path.resolve(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') || e.name.endsWith('.tsx') ? [full] : [];
  });
}

/** Each file's relative imports, as `src/`-relative paths of the files they name. */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles
    .map((f) => f.fileName)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => {
      const target = path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts'));
      // A .tsx module is imported as `./x.js` too.
      return path.relative(SRC, existsSync(target) ? target : target.replace(/\.ts$/, '.tsx'));
    });
}

const files = sourceFiles(SRC).map((f) => ({ file: path.relative(SRC, f), imports: importsOf(f) }));
/**
 * A file's folder. The composition roots stand for themselves: they import every part, and their
 * folders' other files (config, logger, the bot's context) are imported by every part.
 */
const ENTRY_POINTS = new Set(['app.ts', 'main.ts', 'bot/create-bot.ts', 'webapp/main.tsx']);
const folderOf = (file: string) => (ENTRY_POINTS.has(file) ? file : path.dirname(file));

/** Folder → the folders its files import (itself left out). */
function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const { file, imports } of files) {
    const from = folderOf(file);
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    for (const target of imports) if (folderOf(target) !== from) edges.add(folderOf(target));
  }
  return graph;
}

/** Every cycle's folders, by Tarjan's strongly connected components (a component of two or more is a loop). */
function loops(graph: Map<string, Set<string>>): string[][] {
  let index = 0;
  const stack: string[] = [];
  const on = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index);
    index += 1;
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v) ?? 0, idx.get(w) ?? 0));
    }
    if (low.get(v) === idx.get(v)) {
      const component: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w !== undefined) {
          on.delete(w);
          component.push(w);
        }
      } while (w !== undefined && w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

/** Imports from files under `from` (a folder prefix) into files under any of `to`. */
function crossings(from: (file: string) => boolean, to: (target: string) => boolean): string[] {
  return files.filter(({ file }) => from(file)).flatMap(({ file, imports }) => imports.filter(to).map((t) => `${file} → ${t}`));
}
const under = (prefix: string) => (f: string) => f.startsWith(`${prefix}/`);
const isFeature = under('bot/features');
const isComposition = (f: string) => ENTRY_POINTS.has(f);

describe('the import graph of src/', () => {
  it('has no loop between folders', () => {
    expect(loops(folderGraph())).toEqual([]);
  });

  it('keeps the domain pure: it imports nothing outside itself', () => {
    expect(crossings(under('domain'), (t) => !under('domain')(t))).toEqual([]);
  });

  it('keeps services and the database layer free of the bot and the jobs', () => {
    const botOrJobs = (t: string) => under('bot')(t) || under('jobs')(t);
    expect(crossings((f) => under('services')(f) || under('db')(f), botOrJobs)).toEqual([]);
  });

  it('keeps the jobs free of the bot: features register their renderers instead', () => {
    expect(crossings(under('jobs'), under('bot'))).toEqual([]);
  });

  it('keeps the kernel free of features: only the composition root names them', () => {
    const kernel = (f: string) => under('bot')(f) && !isFeature(f) && !isComposition(f);
    expect(crossings(kernel, isFeature)).toEqual([]);
  });

  it('keeps the Mini App server beside the bot, not on it: web → services / domain / db / locales', () => {
    expect(crossings(under('web'), (t) => under('bot')(t) || under('jobs')(t))).toEqual([]);
  });

  it('keeps the page (src/webapp, run in a browser) to itself and the API contract', () => {
    expect(crossings(under('webapp'), (t) => !under('webapp')(t) && t !== 'web/contract.ts')).toEqual([]);
    expect(files.some(({ file }) => file.endsWith('.tsx'))).toBe(true);
  });

  it('reads real imports (the check would see a loop)', () => {
    // A guard against a check that silently reads nothing: the features do import the kernel.
    expect(crossings(isFeature, (t) => t === 'bot/context.ts').length).toBeGreaterThan(10);
    expect(loops(new Map([['a', new Set(['b'])], ['b', new Set(['a'])]]))).toEqual([['a', 'b']]);
  });
});
