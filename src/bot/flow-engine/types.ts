import type { z } from 'zod';
import type { Lang, MessageKey, Translate } from '../../locales/index.js';
import type { BotContext } from '../context.js';
import type { JsonValue } from '../session/schema.js';

/** Whatever the user gave at a step, normalised from the Telegram update. */
export type StepInput =
  | { kind: 'text'; text: string; entities?: unknown[] }
  | { kind: 'choice'; value: string }
  | { kind: 'contact'; phone: string; own: boolean }
  | { kind: 'photo'; fileId: string };

export type Draft = Record<string, JsonValue>;

export interface StepContext {
  lang: Lang;
  t: Translate;
  draft: Draft;
  /** The app's clock and the user's zone: deadlines are read in the user's own time. */
  now: Date;
  timeZone: string;
}

export interface Choice {
  value: string;
  label: string;
}

export type StepKeyboard =
  | { type: 'choices'; options: Choice[]; columns: number; pageSize?: number }
  | { type: 'multi'; options: Choice[]; columns: number; exclusive?: string }
  | { type: 'contact'; label: string };

/**
 * One question of a flow. The schema turns the user's input into the stored value; its error
 * messages are locale keys, which the engine translates when it re-asks.
 */
export interface Step {
  /** Short id (≤ 8 chars): the draft key and part of button data. */
  id: string;
  prompt: MessageKey;
  /** Field name on the summary card. */
  label: MessageKey;
  optional?: boolean;
  /** Accepts a photo (the largest size is kept). */
  photo?: boolean;
  when?: (draft: Draft) => boolean;
  keyboard?: (sc: StepContext) => StepKeyboard;
  schema: (sc: StepContext) => z.ZodType<JsonValue, StepInput>;
  display: (value: JsonValue, sc: StepContext) => string;
}

export type SaveOutcome =
  | { kind: 'saved'; html: string }
  /** Needs the user's explicit yes first (e.g. a duplicate name); the button saves with `force`. */
  | { kind: 'confirm'; html: string; confirmLabel: string }
  /** Refused for a reason the user can fix from the summary card. */
  | { kind: 'refused'; html: string };

export interface FlowDef {
  name: string;
  title: MessageKey;
  steps: Step[];
  /**
   * `requestKey` names this run of the flow: the same on a second handling of the same confirmation
   * (a redelivery after a crash between the commit and the session write), so a save can be idempotent.
   */
  save(ctx: BotContext, draft: Draft, opts: { target: string | null; force: boolean; requestKey: string }): Promise<SaveOutcome>;
  /** Extra lines under the summary card (e.g. the stock change the save would make). */
  preview?(ctx: BotContext, draft: Draft): Promise<string | null>;
}
