import type { Feature } from '../../dispatch/feature.js';
import { stockRoutes } from './handlers.js';

/**
 * /stok, /riwayat, /templat, the held reports' buttons and edited reports. A report without the command
 * is a recogniser (`stockReport`, `stockLineInGuidedReport` inside the guided report, `stockSheet` for
 * a spreadsheet, `otherDocument` for any other file), listed in `features/index.ts`.
 */
export const stock: Feature = { name: 'stock', routes: stockRoutes };
export { stockLineInGuidedReport, stockReport } from './handlers.js';
export { otherDocument, stockSheet } from './sheet.js';
/** What the product card's 📦 and 📈 buttons open (the catalogue feature calls them). */
export { startGuidedFor } from './guided.js';
export { showHistory } from './history.js';
