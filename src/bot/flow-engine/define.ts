import type { z } from 'zod';
import type { MessageKey } from '../../locales/index.js';
import type { PrivateContext } from '../context.js';
import type { JsonValue } from '../session/schema.js';
import type { DraftShape, FlowShape, SaveOptions, SaveOutcome, Step, StepContext, StepEnv, StepInput, StepKey, StepKeyboard, StepMap, StoredDraft } from './types.js';

/** A flow as it is written: its draft's schema, and steps, save and preview typed by that draft. */
export interface FlowSpec<D extends DraftShape> {
  name: string;
  title: MessageKey;
  /**
   * What a stored draft must be. Every field optional (the user fills them in), `$` context the flow is
   * started with, `<stepId>~` a multi-select's pending picks. It must accept every draft an earlier
   * release stored (sessions live 30 days): a draft that fails it ends its run as an expired one does.
   */
  draft: z.ZodType<D>;
  steps: readonly Step<D>[];
  /** Flows run only in a private chat of a real person, so the save sees one. */
  save(ctx: PrivateContext, draft: D, opts: SaveOptions): Promise<SaveOutcome<D>>;
  /** Extra lines under the summary card (e.g. the stock change the save would make). */
  preview?(ctx: PrivateContext, draft: D): Promise<string | null>;
}

/**
 * A flow as the engine runs it. Everything typed by the draft is bound inside (`open`, `save`, `preview`
 * read the stored draft through `draft` first), so flows of different drafts sit in one list; `draft`
 * stays visible so that `flows.start` types the draft a handler passes.
 */
export interface FlowDef<D extends DraftShape = DraftShape> extends FlowShape {
  readonly draft: z.ZodType<D>;
  save(ctx: PrivateContext, stored: StoredDraft, opts: SaveOptions): Promise<SaveOutcome>;
  preview(ctx: PrivateContext, stored: StoredDraft): Promise<string | null>;
}

/** A step's functions with its key's types closed over, so the flow's steps can be called alike. */
interface BoundStep<D> {
  when: ((draft: D) => boolean) | undefined;
  keyboard(sc: StepContext<D>): StepKeyboard | undefined;
  note(sc: StepContext<D>): string | null;
  schema(sc: StepContext<D>): z.ZodType<JsonValue, StepInput>;
  shown(sc: StepContext<D>): string | null;
}

// `StepMap<D>[K]` with a generic K is that key's StepSpec, so the value read and the display called agree.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- K is what ties the step's id to its display (the correlated-union pattern); with StepMap<D>[StepKey<D>] they would not agree
function bindStep<D extends DraftShape, K extends StepKey<D>>(step: StepMap<D>[K]): BoundStep<D> {
  return {
    when: step.when,
    keyboard: (sc) => step.keyboard?.(sc),
    note: (sc) => step.note?.(sc) ?? null,
    schema: (sc) => step.schema(sc),
    shown: (sc) => {
      // Unanswered (undefined) and skipped (null) alike show as empty.
      const v = sc.draft[step.id] ?? null;
      return v === null ? null : step.display(v, sc);
    },
  };
}

/** The draft as the session stores it: a field not there yet is left out (JSON has no undefined). */
export function storedDraft(draft: DraftShape): StoredDraft {
  return Object.fromEntries(Object.entries(draft).filter((e): e is [string, JsonValue] => e[1] !== undefined));
}

function issuesOf(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.map(String).join('.') || '(draft)'}: ${i.message}`);
}

/**
 * Makes a flow from its typed spec: every step's `display`, `when`, `keyboard` and `schema`, and the
 * flow's `save` and `preview`, see the draft as its schema types it.
 */
export function defineFlow<D extends DraftShape>(spec: FlowSpec<D>): FlowDef<D> {
  const bound = spec.steps.map((s) => bindStep(s));
  const stepAt = (index: number): BoundStep<D> => {
    const s = bound[index];
    if (!s) throw new Error(`flow ${spec.name} has no step ${index}`);
    return s;
  };
  const read = (stored: StoredDraft): D | null => {
    const r = spec.draft.safeParse(stored);
    return r.success ? r.data : null;
  };
  return {
    name: spec.name,
    title: spec.title,
    draft: spec.draft,
    steps: spec.steps.map((s) => ({ id: s.id, prompt: s.prompt, label: s.label, optional: s.optional ?? false, photo: s.photo ?? false, ...(s.offer ? { offer: s.offer } : {}) })),
    open(stored) {
      const r = spec.draft.safeParse(stored);
      if (!r.success) return { ok: false, issues: issuesOf(r.error) };
      const draft = r.data;
      const sc = (env: StepEnv): StepContext<D> => ({ ...env, draft });
      return {
        ok: true,
        draft: {
          applies: (i) => {
            const step = spec.steps[i];
            // An offered step applies once answered (not skipped): until then the card offers it.
            if (step?.offer !== undefined && (draft[step.id] ?? null) === null) return false;
            return stepAt(i).when?.(draft) ?? true;
          },
          keyboard: (i, env) => stepAt(i).keyboard(sc(env)),
          note: (i, env) => stepAt(i).note(sc(env)),
          schema: (i, env) => stepAt(i).schema(sc(env)),
          shown: (i, env) => stepAt(i).shown(sc(env)),
        },
      };
    },
    async save(ctx, stored, opts) {
      const draft = read(stored);
      // The machine reads the draft before it asks for a save: this is a programming error, not the user's.
      if (!draft) throw new Error(`flow ${spec.name}: the draft to save does not fit its schema`);
      const outcome = await spec.save(ctx, draft, opts);
      if (outcome.kind !== 'confirm') return outcome;
      const { draft: keep, ...question } = outcome;
      return keep ? { ...question, draft: storedDraft(keep) } : question;
    },
    async preview(ctx, stored) {
      if (!spec.preview) return null;
      const draft = read(stored);
      return draft ? spec.preview(ctx, draft) : null;
    },
  };
}
