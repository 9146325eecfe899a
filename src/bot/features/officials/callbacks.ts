import { callbackData, int, userId } from '../../callback-data.js';

/** Officials (roles.ts) and campaign teams (team.ts). */
export const officialRevoke = callbackData('of:r', { user: userId() });
export const teamShow = callbackData('cm:t', { campaign: int() });
/** The page of officials who could be added; page 0 is sent as a new message, the others edit it. */
export const teamAddPage = callbackData('tm:a', { campaign: int(), page: int(4) });
export const teamAdd = callbackData('tm:aa', { campaign: int(), user: userId() });
export const teamRemove = callbackData('tm:r', { campaign: int(), user: userId() });
