import type { Feature, Recogniser } from '../dispatch/feature.js';
import { openFlow } from '../dispatch/flow-steps.js';
import { flows } from '../flow-engine/index.js';
import { account } from './account/feature.js';
import { broadcasts } from './broadcasts/feature.js';
import { campaigns } from './campaigns/feature.js';
import { catalogue } from './catalogue/feature.js';
import { entries } from './entries/feature.js';
import { officials } from './officials/feature.js';
import { registration } from './registration/feature.js';
import { review } from './review/feature.js';
import { stock, stockReport } from './stock/feature.js';

/**
 * Every feature the bot routes to. Their order means nothing: a command name, a button prefix or an
 * update kind belongs to exactly one route, and a second claim fails when the bot is built.
 */
export const FEATURES: readonly Feature[] = [account, registration, catalogue, stock, campaigns, entries, review, officials, broadcasts];

/**
 * What a message that no command took is, asked in this order; the first recogniser that takes the
 * message handles it, and a message none takes gets the fallback (`dispatch/fallback.ts`: a pointer to
 * /bantuan, in private chats only). This list is the one place that order is decided:
 *
 * 1. **An open flow** takes every message of its private chat that does not start with `/` (an answer,
 *    a photo, a contact), even one that reads like a stock report: `KOPI-01 100` typed as the answer to
 *    "how many?" is that answer. (A `/…` text has already ended the flow, unless it was /batal.)
 * 2. **A stock report**: `CODE QUANTITY` lines, or a `/stok` line the command did not take.
 *
 * A recogniser added later goes where its claim must win over the ones below it.
 */
export const RECOGNISERS: readonly Recogniser[] = [openFlow(flows), stockReport];
