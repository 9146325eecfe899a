import { z } from 'zod';
import type { MessageKey } from '../../locales/index.js';
import type { JsonValue } from '../session/schema.js';
import type { StepInput } from './types.js';

export type Parsed = { ok: true; value: JsonValue } | { ok: false; error: MessageKey };

/**
 * A step's answer schema from a parse function: the domain does the parsing, the issue message is a
 * locale key the engine translates when it re-asks.
 */
export function answerSchema(parse: (input: StepInput) => Parsed): z.ZodType<JsonValue, StepInput> {
  return z.custom<StepInput>((v) => typeof v === 'object' && v !== null && 'kind' in v).transform((input, ctx) => {
    const r = parse(input);
    if (r.ok) return r.value;
    ctx.addIssue({ code: 'custom', message: r.error });
    return z.NEVER;
  });
}

/** Text answers only (a typed message); anything else is refused with `wrongKind`. */
export function textAnswer(parse: (text: string) => Parsed, wrongKind: MessageKey = 'flows.typeAnswer'): z.ZodType<JsonValue, StepInput> {
  return answerSchema((input) => (input.kind === 'text' ? parse(input.text) : { ok: false, error: wrongKind }));
}

export const good = (value: JsonValue): Parsed => ({ ok: true, value });
export const bad = (error: MessageKey): Parsed => ({ ok: false, error });
