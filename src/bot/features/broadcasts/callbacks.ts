import { callbackData, int } from '../../callback-data.js';

/** A broadcast's progress card: the failed recipients as CSV, and a retry of them. */
export const broadcastFailedCsv = callbackData('bc:csv', { broadcast: int() });
export const broadcastRetry = callbackData('bc:re', { broadcast: int() });
/** /siaran_status: cancel a scheduled broadcast that has not started (checked again on every press). */
export const broadcastCancel = callbackData('bc:x', { broadcast: int() });
/** /siaran_status: another page of the broadcasts that have started (the page is clamped to what exists). */
export const broadcastStatusPaged = callbackData('bc:pg', { page: int(4) });
