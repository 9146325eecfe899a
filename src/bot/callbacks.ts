import { isCallbackData, type CallbackData } from './callback-data.js';
import * as commands from './commands/callbacks.js';
import * as exporter from './exporter/callbacks.js';
import * as flows from './flows/callbacks.js';
import * as official from './official/callbacks.js';

/**
 * Every button codec, gathered from the area files, for the test that holds them all to Telegram's
 * limits and to one another (unique prefixes, no codec reading another's data). A codec exported from
 * one of these files is in the list without being named here; a new area file is added above.
 */
export const ALL_CODECS: readonly CallbackData[] = [commands, exporter, flows, official].flatMap((area) => Object.values(area).filter(isCallbackData));
