import { callbackData } from '../../callback-data.js';

/** Registration, offered by /start. */
export const registerStart = callbackData('reg:start');
