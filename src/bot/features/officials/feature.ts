import type { Feature } from '../../dispatch/feature.js';
import { roleRoutes } from './roles.js';
import { teamRoutes } from './team.js';

/** The admin's officials (/undang, /pejabat) and each campaign's team. */
export const officials: Feature = { name: 'officials', routes: [...roleRoutes, ...teamRoutes] };
