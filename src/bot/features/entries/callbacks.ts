import { callbackData, digit, int } from '../../callback-data.js';

/**
 * An exporter's buttons on their entries, and on an official's stock question about one (sent by the
 * delivery jobs through the renderers this feature registers). Ownership is checked again on every press.
 */
export const entryStatusPage = callbackData('sb:st', { page: int(4) });
export const entryChange = callbackData('sb:c', { id: int() });
export const entryWithdraw = callbackData('sb:w', { id: int() });
/** A withdrawal with one of the preset reasons (`reason` indexes them). */
export const entryWithdrawPreset = callbackData('sb:wr', { id: int(), reason: digit() });
export const entryWithdrawTyped = callbackData('sb:wo', { id: int() });
export const entryWithdrawKeep = callbackData('sb:wx', { id: int() });

// An official's stock question: ready, report a level, or cannot supply.
export const stockConfirm = callbackData('av:ok', { id: int() });
export const stockReport = callbackData('av:rep', { id: int() });
export const stockCannot = callbackData('av:no', { id: int() });
export const stockCannotPreset = callbackData('av:nr', { id: int(), reason: digit() });
export const stockCannotTyped = callbackData('av:nt', { id: int() });
