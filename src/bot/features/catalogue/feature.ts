import type { Feature } from '../../dispatch/feature.js';
import { catalogueRoutes } from './handlers.js';

/** /produk_baru, /produk and the catalogue's buttons. */
export const catalogue: Feature = { name: 'catalogue', routes: catalogueRoutes };
