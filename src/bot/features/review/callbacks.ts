import { callbackData, digit, int } from '../../callback-data.js';

/**
 * The review's buttons, one codec per prefix. A decision button names the entry's version it was shown
 * at (`v`); buttons sent before entries were versioned lack it and still work, unchecked, so `v` stays an
 * optional trailing field.
 */

// Review (handlers.ts): the list, the card, the decisions on it.
export const reviewList = callbackData('rv:l', { campaign: int(), page: int() });
export const reviewCard = callbackData('rv:o', { id: int() });
export const reviewShortlist = callbackData('rv:s', { id: int(), v: int().optional() });
/** Shortlisting an entry that is not ready, once the official confirmed it. */
export const reviewShortlistNotReady = callbackData('rv:s2', { id: int(), v: int().optional() });
export const reviewNotReadyCancel = callbackData('rv:sx', { id: int() });
export const reviewReject = callbackData('rv:r', { id: int(), v: int().optional() });
/** A rejection with one of the preset reasons (`reason` indexes them). */
export const reviewRejectPreset = callbackData('rv:rr', { id: int(), reason: digit(), v: int().optional() });
/** A rejection whose reason the official types. */
export const reviewRejectTyped = callbackData('rv:ro', { id: int(), v: int().optional() });
export const reviewUndo = callbackData('rv:u', { id: int(), v: int().optional() });
export const reportDownload = callbackData('rp', { campaign: int() });

// Publication (publish.ts).
export const publishPick = callbackData('rv:p', { campaign: int() });
export const publishFirstYes = callbackData('rv:pp', { campaign: int() });
export const publishEarlyYes = callbackData('rv:pe', { campaign: int() });
export const publishCancel = callbackData('rv:px', { campaign: int() });
/** "Umumkan perubahan": `count` is how many changes the official was shown (a moved list is shown again). */
export const publishChangesYes = callbackData('rv:pc', { campaign: int(), count: int(6) });

// Availability alerts (alert-actions.ts), sent by the delivery jobs and on the review card.
export const alertAsk = callbackData('av:ask', { id: int() });
export const alertSwap = callbackData('av:sw', { id: int(), v: int().optional() });
export const alertAcceptRisk = callbackData('av:ar', { id: int() });
