import type { Feature } from '../../dispatch/feature.js';
import { cancelRoutes } from './cancel.js';
import { helpRoutes } from './help.js';
import { languageRoutes } from './language.js';
import { membershipRoutes } from './membership.js';
import { startRoutes } from './start.js';
import { zoneRoutes } from './zone.js';

/** The everyday commands (/start, /bantuan, /bahasa and /batal in any chat; /zona in private) and membership events. */
export const account: Feature = { name: 'account', routes: [...startRoutes, ...helpRoutes, ...languageRoutes, ...cancelRoutes, ...zoneRoutes, ...membershipRoutes] };
