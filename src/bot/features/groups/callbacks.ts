import { callbackData, int } from '../../callback-data.js';

/**
 * The campaign groups' buttons (issue 18), one codec per prefix. The `ga:` ones sit on alerts in a
 * group, where anyone can press them: each press is checked against the campaign's team.
 */

// Linking (link.ts): the campaign picked in the group, a link ended, private copies toggled in /grup.
export const groupLinkPick = callbackData('gl:c', { campaign: int() });
export const groupUnlink = callbackData('gl:x', { link: int() });
export const groupPrivateToggle = callbackData('gl:p', { campaign: int() });

// An alert in the group (group-buttons.ts): the same three actions as the officials' private card.
export const groupAlertAsk = callbackData('ga:ask', { id: int() });
export const groupAlertSwap = callbackData('ga:sw', { id: int(), v: int().optional() });
export const groupAlertAccept = callbackData('ga:ar', { id: int() });
