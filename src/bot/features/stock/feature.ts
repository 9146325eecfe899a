import type { Feature } from '../../dispatch/feature.js';
import { stockRoutes } from './handlers.js';

/** /stok and /riwayat. A report without the command is a recogniser (`stockReport`), listed in `features/index.ts`. */
export const stock: Feature = { name: 'stock', routes: stockRoutes };
export { stockReport } from './handlers.js';
