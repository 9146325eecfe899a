import { isCallbackData, type CallbackData } from '../callback-data.js';
import * as account from './account/callbacks.js';
import * as broadcasts from './broadcasts/callbacks.js';
import * as campaigns from './campaigns/callbacks.js';
import * as catalogue from './catalogue/callbacks.js';
import * as entries from './entries/callbacks.js';
import * as groups from './groups/callbacks.js';
import * as officials from './officials/callbacks.js';
import * as registration from './registration/callbacks.js';
import * as review from './review/callbacks.js';
import * as stock from './stock/callbacks.js';
import * as flows from '../flow-engine/callbacks.js';

/**
 * Every button codec, gathered from the feature files, for the test that holds them all to Telegram's
 * limits and to one another (unique prefixes, no codec reading another's data). A codec exported from
 * one of these files is in the list without being named here; a new feature's file is added above.
 */
export const ALL_CODECS: readonly CallbackData[] = [account, broadcasts, campaigns, catalogue, entries, groups, officials, registration, review, stock, flows].flatMap((area) =>
  Object.values(area).filter(isCallbackData),
);
