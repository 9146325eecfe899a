import type { z } from 'zod';
import type { Lang, MessageKey, Translate } from '../../locales/index.js';
import type { FlowState, JsonValue } from '../session/schema.js';

/**
 * The flow-engine's own types, free of telegraf and of the context: the machine and the view are built
 * on these alone. A flow's definition (`defineFlow`, with its save) is in `define.ts`.
 */

/** Whatever the user gave at a step, normalised from the Telegram update. */
export type StepInput =
  | { kind: 'text'; text: string; entities?: unknown[] }
  | { kind: 'choice'; value: string }
  | { kind: 'contact'; phone: string; own: boolean }
  | { kind: 'photo'; fileId: string };

/**
 * A draft as the session stores it (and as sessions written by earlier releases hold it): JSON keyed by
 * step id, plus `$`-prefixed context the flow was started with and `<stepId>~`, a multi-select's picks
 * not yet confirmed with «Selesai».
 */
export type StoredDraft = Record<string, JsonValue>;

/** What a flow's draft schema must produce: every field JSON, every field possibly not there yet. */
export type DraftShape = Record<string, JsonValue | undefined>;

/** A run of a flow, as the session keeps it. */
export type FlowRun = FlowState;

/** What a step's functions may read besides the draft: the user's language and zone, the app's clock. */
export interface StepEnv {
  lang: Lang;
  t: Translate;
  /** Deadlines are read in the user's own time. */
  now: Date;
  timeZone: string;
}

export interface StepContext<D> extends StepEnv {
  draft: D;
}

export interface Choice {
  value: string;
  label: string;
}

export type StepKeyboard =
  | { type: 'choices'; options: Choice[]; columns: number; pageSize?: number }
  | { type: 'multi'; options: Choice[]; columns: number; exclusive?: string }
  | { type: 'contact'; label: string };

/** The draft keys a step may answer: `$` context and `~` pending picks are not answers. */
export type StepKey<D> = { [K in keyof D & string]-?: K extends `$${string}` | `${string}~` ? never : K }[keyof D & string];

/** A step's stored answer as its schema gives it and its `display` reads it: never missing, never skipped (null). */
export type AnswerOf<D, K extends keyof D> = NonNullable<D[K]>;

/**
 * One question of a flow, typed by the flow's draft `D` and the key `K` it answers. The schema turns the
 * user's input into the stored value; its error messages are locale keys, which the engine translates
 * when it re-asks.
 */
export interface StepSpec<D, K extends keyof D & string> {
  /** Short id (≤ 8 chars): the draft key. Buttons carry the step's index, so new steps go at the end. */
  id: K;
  prompt: MessageKey;
  /** Field name on the summary card. */
  label: MessageKey;
  /** May be skipped (stored as null). */
  optional?: boolean;
  /** Accepts a photo (the largest size is kept). */
  photo?: boolean;
  /**
   * Not asked in order: the summary card offers it as a button with this label (e.g. ⏰ Kirim nanti), and
   * it is on the card once answered. Make it optional, so «Lewati» takes the offer back.
   */
  offer?: MessageKey;
  when?: (draft: D) => boolean;
  keyboard?: (sc: StepContext<D>) => StepKeyboard;
  /**
   * Lines (HTML) under the prompt that depend on the draft, e.g. what the product holds now when a
   * commitment is asked: the prompt itself is one locale key, the same for every run.
   */
  note?: (sc: StepContext<D>) => string | null;
  schema: (sc: StepContext<D>) => z.ZodType<AnswerOf<D, K>, StepInput>;
  display: (value: AnswerOf<D, K>, sc: StepContext<D>) => string;
}

/** Every step a draft allows, keyed by what it answers; indexed by a key it is that key's step. */
export type StepMap<D> = { [K in StepKey<D>]: StepSpec<D, K> };
/** Any one step of a flow with draft `D` (a union over its keys, so an object literal is typed by its `id`). */
export type Step<D> = StepMap<D>[StepKey<D>];

export type SaveOutcome<D = StoredDraft> =
  | { kind: 'saved'; html: string }
  /**
   * Needs the user's explicit yes first (e.g. a duplicate name); the button saves with `force`. `draft`,
   * when given, is kept in place of the run's draft while the user decides (what the question was about).
   */
  | { kind: 'confirm'; html: string; confirmLabel: string; draft?: D }
  /** Refused for a reason the user can fix from the summary card. */
  | { kind: 'refused'; html: string };

export interface SaveOptions {
  /** The record being edited (e.g. a product id), or null when creating. */
  target: string | null;
  force: boolean;
  /**
   * Names this run of the flow: the same on a second handling of the same confirmation (a redelivery
   * after a crash between the commit and the session write), so a save can be idempotent.
   */
  requestKey: string;
}

/** A step's static facts: what the machine and the view need without reading the draft. */
export interface StepFacts {
  id: string;
  prompt: MessageKey;
  label: MessageKey;
  optional: boolean;
  photo: boolean;
  /** The summary card's button for a step not asked in order (see `StepSpec.offer`). */
  offer?: MessageKey;
}

/** A stored draft read through its flow's schema, with the steps' functions applied to it (by index). */
export interface OpenDraft {
  /** The step's `when`: does it apply to this draft? */
  applies(index: number): boolean;
  keyboard(index: number, env: StepEnv): StepKeyboard | undefined;
  /** The step's note under its prompt; optional, so a draft opened without one shows none. */
  note?(index: number, env: StepEnv): string | null;
  /** The step's answer schema; its output is JSON (what the session stores). */
  schema(index: number, env: StepEnv): z.ZodType<JsonValue, StepInput>;
  /** The step's answer as the card shows it; null when unanswered or skipped. */
  shown(index: number, env: StepEnv): string | null;
}

export type Opened = { ok: true; draft: OpenDraft } | { ok: false; issues: string[] };

/** A flow as the machine and the view see it: no save, no context. */
export interface FlowShape {
  readonly name: string;
  readonly title: MessageKey;
  readonly steps: readonly StepFacts[];
  /** Reads a stored draft; `ok: false` when it does not fit the flow's draft schema. */
  open(stored: StoredDraft): Opened;
}
