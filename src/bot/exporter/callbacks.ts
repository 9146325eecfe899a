import { callbackData, digit, int, oneOf } from '../callback-data.js';

/**
 * The exporters' buttons, one codec per prefix; the keyboards that send them (here, in `commands/` and
 * in `jobs/renderers.ts`) and the handlers that read them import these. Ownership is checked again on
 * every press: the data only names what was pressed.
 */

// The catalog (catalog.ts): `shelf` is the active (`o`) or the archived (`a`) products.
export const productList = callbackData('p:l', { page: int(), shelf: oneOf('a', 'o') });
export const productNew = callbackData('p:n');
export const productCard = callbackData('p:o', { product: int() });
export const productEdit = callbackData('p:e', { product: int() });
export const productArchive = callbackData('p:a', { product: int() });
export const productRestore = callbackData('p:r', { product: int() });

// Campaigns (campaigns.ts) and entries (submissions.ts).
export const campaignView = callbackData('cp:o', { campaign: int() });
export const campaignJoin = callbackData('cp:j', { campaign: int() });
export const entryStatusPage = callbackData('sb:st', { page: int(4) });
export const entryChange = callbackData('sb:c', { id: int() });
export const entryWithdraw = callbackData('sb:w', { id: int() });
/** A withdrawal with one of the preset reasons (`reason` indexes them). */
export const entryWithdrawPreset = callbackData('sb:wr', { id: int(), reason: digit() });
export const entryWithdrawTyped = callbackData('sb:wo', { id: int() });
export const entryWithdrawKeep = callbackData('sb:wx', { id: int() });

// An official's stock question (sent by the delivery jobs): ready, report a level, or cannot supply.
export const stockConfirm = callbackData('av:ok', { id: int() });
export const stockReport = callbackData('av:rep', { id: int() });
export const stockCannot = callbackData('av:no', { id: int() });
export const stockCannotPreset = callbackData('av:nr', { id: int(), reason: digit() });
export const stockCannotTyped = callbackData('av:nt', { id: int() });

// Registration, offered by /start (registration.ts).
export const registerStart = callbackData('reg:start');
