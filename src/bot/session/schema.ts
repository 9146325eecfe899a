import { z } from 'zod';

/**
 * The one session shape. Sessions hold flow state only (which step, the draft so far); anything a user
 * would be upset to lose lives in Postgres. `v` changes whenever the shape changes incompatibly: an old
 * blob is then dropped and the user starts clean, instead of a handler meeting a shape it never knew.
 */
export const SESSION_VERSION = 1;

const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export const flowStateSchema = z.object({
  /** Which flow (e.g. `register`), and which of its steps is waiting for an answer. */
  name: z.string().min(1).max(40),
  step: z.string().min(1).max(40),
  /** Answers so far, keyed by step id; each flow validates its own draft with its own zod schema. */
  draft: z.record(z.string(), jsonValue),
  /** Steps answered, in order, so that ⬅️ can go back exactly one. */
  trail: z.array(z.string().max(40)).max(64),
  /** Distinguishes this run's buttons from an older run's, so a stale keyboard is recognised. */
  runId: z.string().min(1).max(16),
  /** Changing one field from the summary card: after the answer, back to the card. */
  editing: z.boolean(),
  /** The record being edited (e.g. a product id), or null when creating. */
  target: z.string().max(40).nullable(),
  /** Page of a paged keyboard on the current step. */
  page: z.number().int().nonnegative(),
  startedAt: z.number().int(),
  touchedAt: z.number().int(),
});
export type FlowState = z.infer<typeof flowStateSchema>;

/** A Bot API call as it rides a webhook answer: `{ method, ...params }`. */
export const webhookCallSchema = z.object({ method: z.string().min(1).max(64) }).catchall(z.unknown());

/**
 * An update whose session was written: the session is written after its handler, so this marks the
 * update's state changes as complete. `answer` is the call that was to ride its acknowledgement.
 */
export const handledUpdateSchema = z.object({ id: z.number().int(), answer: webhookCallSchema.nullable() });
export const HANDLED_KEPT = 3;

export const sessionSchema = z.object({
  v: z.literal(SESSION_VERSION),
  /** Updates handled for this chat; lets tests (and logs) prove no concurrent write was lost. */
  turn: z.number().int().nonnegative(),
  /** `/start` deep-link payload kept for the flow that will use it (e.g. `c_<slug>`, `inv_<token>`). */
  startPayload: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).nullable(),
  flow: flowStateSchema.nullable(),
  /**
   * The last few updates handled in this chat, newest first. A redelivered one of them (its process
   * died after writing this, before the update was acknowledged) is not handled again: its answer is
   * given again instead. A few, not one, because a button press can overtake a message of the chat.
   */
  handled: z.array(handledUpdateSchema).max(HANDLED_KEPT).default([]),
});
export type Session = z.infer<typeof sessionSchema>;

export function emptySession(): Session {
  return { v: SESSION_VERSION, turn: 0, startPayload: null, flow: null, handled: [] };
}
