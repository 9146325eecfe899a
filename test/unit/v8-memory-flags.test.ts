import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMAND_LINE_FLAGS, runtimeMemoryFlags } from '../../src/v8-memory-flags.js';

// Issue 19 item 4: the young generation is kept at 1 MB semi-spaces, on the command line of
// `npm run start:prod`, or at run time by main.ts when the process was started without a choice of its own.
describe('the heap flags a bot process runs with', () => {
  it('npm run start:prod passes them on the command line', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
    for (const flag of COMMAND_LINE_FLAGS) expect(pkg.scripts['start:prod']).toContain(` ${flag} `);
  });

  it('are set at run time when neither the command line nor NODE_OPTIONS chose the young generation', () => {
    expect(runtimeMemoryFlags([], undefined)).toEqual(['--semi-space-growth-factor=1']);
    expect(runtimeMemoryFlags(['--enable-source-maps'], '--max-old-space-size=512')).toEqual(['--semi-space-growth-factor=1']);
  });

  it("leave an operator's own choice alone, however it is spelt and wherever it is given", () => {
    expect(runtimeMemoryFlags(['--max-semi-space-size=1'], undefined)).toEqual([]);
    expect(runtimeMemoryFlags([], '--max_semi_space_size=16')).toEqual([]);
    expect(runtimeMemoryFlags([], '--enable-source-maps --semi-space-growth-factor=2')).toEqual([]);
    expect(runtimeMemoryFlags(['--min-semi-space-size=4'], '')).toEqual([]);
  });
});
