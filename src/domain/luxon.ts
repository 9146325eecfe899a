import { createRequire } from 'node:module';
import type * as Luxon from 'luxon';

/**
 * luxon, as its CommonJS build: the one pg-boss's cron-parser already `require`s. luxon's package answers
 * an ESM `import` with its other build (build/es6/luxon.mjs), so a bot importing it the usual way held
 * two copies, each ~0.5 MB of source text and its compiled code (heap snapshot; issue 19 item 4).
 * Import `DateTime` and `IANAZone` from here, never from 'luxon'; types are luxon's own.
 */
const luxon = createRequire(import.meta.url)('luxon') as typeof Luxon;

export const DateTime = luxon.DateTime;
export type DateTime = Luxon.DateTime;
export const IANAZone = luxon.IANAZone;
export type IANAZone = Luxon.IANAZone;
