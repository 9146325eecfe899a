import { z } from 'zod';
import type { JsonValue } from '../session/schema.js';

/**
 * Any JSON value, for a draft field that carries Telegram's own objects as they came (a message's
 * entities). The session schema keeps its own copy private; this one is for the flows' draft schemas.
 */
export const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);
