import type { Feature } from '../../dispatch/feature.js';
import { alertActionRoutes } from './alert-actions.js';
import { reviewRoutes } from './handlers.js';
import { publishRoutes } from './publish.js';

/** The officials' review (/tinjau, /laporan), publication (/umumkan) and the availability alerts' buttons. */
export const review: Feature = { name: 'review', routes: [...reviewRoutes, ...publishRoutes, ...alertActionRoutes] };
