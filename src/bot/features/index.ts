import type { Feature, Recogniser } from '../dispatch/feature.js';
import { openFlow } from '../dispatch/flow-steps.js';
import { flows } from '../flow-engine/index.js';
import { account } from './account/feature.js';
import { broadcasts } from './broadcasts/feature.js';
import { campaigns } from './campaigns/feature.js';
import { catalogue } from './catalogue/feature.js';
import { entries } from './entries/feature.js';
import { groupMigration, groupRenamed, groups } from './groups/feature.js';
import { officials } from './officials/feature.js';
import { registration } from './registration/feature.js';
import { replyToBot } from './relay/feature.js';
import { review } from './review/feature.js';
import { otherDocument, stock, stockLineInGuidedReport, stockReport, stockSheet } from './stock/feature.js';

/**
 * Every feature the bot routes to. Their order means nothing: a command name, a button prefix or an
 * update kind belongs to exactly one route, and a second claim fails when the bot is built.
 */
export const FEATURES: readonly Feature[] = [account, registration, catalogue, stock, campaigns, entries, review, officials, broadcasts, groups];

/**
 * What a message that no command took is, asked in this order; the first recogniser that takes the
 * message handles it, and a message none takes gets the fallback (`dispatch/fallback.ts`: a pointer to
 * /bantuan, in private chats only). This list is the one place that order is decided:
 *
 * 1. **A stock report inside the guided report** (issue 16): while the stock flow is open, `KODE 1.600`
 *    is the one-line report it reads as, not an answer to the open step; the run ends. It is here, not
 *    in the flow's step schema, because it is a claim over the open flow's, and this list is where one
 *    recogniser's claim is put above another's; a step schema can only answer its own step.
 * 2. **A stock spreadsheet** (issue 16): an XLSX or CSV document (or a spreadsheet format the bot
 *    explains it cannot read) is a stock report whatever flow is open; the flow stays where it was. A
 *    document that is not a spreadsheet (a photo sent as a file) goes on to the open flow.
 * 3. **An open flow** takes every other message of its private chat that does not start with `/` (an
 *    answer, a photo, a contact), even one that reads like a stock report: in the product flow
 *    `KOPI-01 100` is that flow's answer. (A `/…` text has already ended the flow, unless it was /batal.)
 * 4. **A stock report**: `CODE QUANTITY` lines, or a `/stok` line the command did not take.
 * 5. **A reply to one of the bot's messages** (issue 18 item 5): to a campaign's message or a broadcast,
 *    a question relayed to the team; to a relayed question, the team's answer (in any chat). After the
 *    stock report, so a replied `KOPI-01 100` stays a report, and after the open flow, whose answer a
 *    reply to its own prompt is. A reply to any other message gets the fallback, as before.
 * 6. **Any other document**, when no flow took it: the bot says which files it reads.
 *
 * 0. **A group's upgrade to a supergroup** (issue 18): a service message (`migrate_to_chat_id` /
 *    `migrate_from_chat_id`), never anyone's answer; the campaign links follow the group. So does a
 *    rename (`new_chat_title`): the links take the group's new name.
 *
 * A recogniser added later goes where its claim must win over the ones below it.
 */
export const RECOGNISERS: readonly Recogniser[] = [groupMigration, groupRenamed, stockLineInGuidedReport, stockSheet, openFlow(flows), stockReport, replyToBot, otherDocument];
