/**
 * The V8 heap flag for a long-running bot process, sized to what it holds (issue 19 item 4).
 *
 * With V8's defaults the young generation grows to two 16 MB semi-spaces as soon as the start allocates
 * quickly (parsing and evaluating ~800 modules), and every page of it stays resident: 32 MB of a bot whose
 * young objects are 1–6 MB (heap snapshot of the compiled bot after 400 webhook updates). Semi-spaces of
 * 1 MB keep that. Figures (RSS, and the CPU cost on `BENCH_ONLY=start,stock`, not yet settled): bench/README.md, "Memory".
 *
 * `npm run start:prod` passes `--max-semi-space-size=1` (what Node documents); main.ts applies the
 * equivalent when the process was started without it (`node dist/src/main.js` from a process manager or a
 * bench), before it imports the app. V8 fixes the semi-space maximum when the heap is created, so at run
 * time the equivalent is a growth factor of 1: the young generation stays at its initial 1 MB semi-spaces.
 * `--optimize-for-size` was measured too and left out: ~20 MB less again, but 3–4× the CPU per stock
 * report in the bench process (the old generation then grows in small steps and is collected over and over).
 * An operator who passes a young-generation flag (command line or NODE_OPTIONS) gets theirs, untouched.
 */
export const COMMAND_LINE_FLAGS = ['--max-semi-space-size=1'] as const;
const RUNTIME_FLAGS = ['--semi-space-growth-factor=1'] as const;
const OWN_CHOICE = /--(max|min)[-_]semi[-_]space[-_]size|--semi[-_]space[-_]growth[-_]factor/;

/** The flags to set at run time: none when the process's command line or NODE_OPTIONS already chose its young generation. */
export function runtimeMemoryFlags(execArgv: readonly string[], nodeOptions: string | undefined): readonly string[] {
  const given = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)];
  return given.some((arg) => OWN_CHOICE.test(arg)) ? [] : RUNTIME_FLAGS;
}
