import { callbackData, int } from '../../callback-data.js';

/** The campaigns' buttons: an exporter's view of one (also sent by reminders) and an official's card of it. */

// Exporters (exporter-handlers.ts; `campaignView` is also the reminders' button, see renderers.ts).
export const campaignView = callbackData('cp:o', { campaign: int() });
export const campaignJoin = callbackData('cp:j', { campaign: int() });

// Officials (official-handlers.ts).
export const campaignCard = callbackData('cm:o', { campaign: int() });
export const campaignEdit = callbackData('cm:e', { campaign: int() });
export const campaignClose = callbackData('cm:x', { campaign: int() });
export const campaignCloseYes = callbackData('cm:xx', { campaign: int() });
