import type { Feature } from '../../dispatch/feature.js';
import { onInlineQuery } from '../../dispatch/feature.js';
import { entryRoutes } from './handlers.js';
import { answerInlineCheck } from './inline-check.js';

/**
 * An exporter's entries (/ikut, /status), their answers to stock questions, and /cek (in any chat, and
 * inline: `@bot KODE`).
 */
export const entries: Feature = { name: 'entries', routes: [...entryRoutes, onInlineQuery(answerInlineCheck)] };
