import { z } from 'zod';
import type { BaseUnit, QuantityError } from '../../domain/quantity.js';
import type { MessageKey } from '../../locales/index.js';
import type { JsonValue } from '../session/schema.js';
import type { StepInput } from './types.js';

export type Parsed<T extends JsonValue> = { ok: true; value: T } | { ok: false; error: MessageKey };

/**
 * A step's answer schema from a parse function: the domain does the parsing, the issue message is a
 * locale key the engine translates when it re-asks. `T` is the value the step stores, typed by the
 * flow's draft where the step is defined.
 */
export function answerSchema<T extends JsonValue>(parse: (input: StepInput) => Parsed<T>): z.ZodType<T, StepInput> {
  return z.custom<StepInput>((v) => typeof v === 'object' && v !== null && 'kind' in v).transform((input, ctx) => {
    const r = parse(input);
    if (r.ok) return r.value;
    ctx.addIssue({ code: 'custom', message: r.error });
    return z.NEVER;
  });
}

/** Text answers only (a typed message); anything else is refused with `wrongKind`. */
export function textAnswer<T extends JsonValue>(parse: (text: string) => Parsed<T>, wrongKind: MessageKey = 'flows.typeAnswer'): z.ZodType<T, StepInput> {
  return answerSchema((input) => (input.kind === 'text' ? parse(input.text) : bad(wrongKind)));
}

export const good = <T extends JsonValue>(value: T): Parsed<T> => ({ ok: true, value });
export const bad = (error: MessageKey): Parsed<never> => ({ ok: false, error });

const TOO_PRECISE_KEYS: Partial<Record<BaseUnit, MessageKey>> = { kg: 'submit.errTooPreciseKg', ton: 'submit.errTooPreciseTon', liter: 'submit.errTooPreciseLiter' };

/**
 * The re-ask of a quantity step: a quantity the database would round (0,0004 kg) names the smallest it
 * keeps in the product's unit; any other error gets the step's own hint (`otherwise`).
 */
export function quantityErrorKey(error: QuantityError, unit: BaseUnit, otherwise: MessageKey): MessageKey {
  return error === 'too_precise' ? (TOO_PRECISE_KEYS[unit] ?? 'stock.errTooPreciseShort') : otherwise;
}
