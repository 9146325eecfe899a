import type { Feature } from '../../dispatch/feature.js';
import { entryRoutes } from './handlers.js';

/** An exporter's entries (/ikut, /status), their answers to stock questions, and /cek (in any chat). */
export const entries: Feature = { name: 'entries', routes: entryRoutes };
