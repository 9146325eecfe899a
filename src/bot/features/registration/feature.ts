import type { Feature } from '../../dispatch/feature.js';
import { registrationRoutes } from './handlers.js';

/** /daftar and /profil, and the register button /start offers. */
export const registration: Feature = { name: 'registration', routes: registrationRoutes };
