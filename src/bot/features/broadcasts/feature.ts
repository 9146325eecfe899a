import type { Feature } from '../../dispatch/feature.js';
import { broadcastRoutes } from './handlers.js';

/** /siaran and /siaran_status, with the progress card's buttons. */
export const broadcasts: Feature = { name: 'broadcasts', routes: broadcastRoutes };
