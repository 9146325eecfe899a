import { callbackData, int, oneOf } from '../../callback-data.js';

/**
 * The buttons of a held (surprising) stock report, issue 16. Ids only: the held row says the rest,
 * and its reporter is checked again on every press.
 * - `sh:c` saves one held line in reading `a` (the exporter's own convention) or `b` (the other one);
 * - `sh:e` drops it and asks for the number again (✏️ Ubah);
 * - `sh:s` / `sh:d` save or drop every held line of the message the pressed one came in.
 */
export const heldConfirm = callbackData('sh:c', { held: int(12), reading: oneOf('a', 'b') });
export const heldRetype = callbackData('sh:e', { held: int(12) });
export const heldSaveAll = callbackData('sh:s', { held: int(12) });
export const heldDiscardAll = callbackData('sh:d', { held: int(12) });
