import type { FeatureRenderers } from '../../jobs/renderers.js';
import { renderReminder } from './campaigns/reminder-renderer.js';
import { renderGroupNotice } from './groups/notice-renderer.js';
import { renderRelay } from './relay/relay-renderer.js';
import { renderAlert } from './review/alert-renderer.js';
import { renderResult } from './review/result-renderer.js';

/**
 * The messages the delivery jobs send with a feature's buttons, registered by kind. The app hands this
 * to the jobs (and to the bot, which re-renders an official's alert card when an exporter answers it):
 * the jobs never import a feature.
 */
export const DELIVERY_RENDERERS: FeatureRenderers = {
  reminder: renderReminder,
  result: renderResult,
  alert: renderAlert,
  group_notice: renderGroupNotice,
  relay: renderRelay,
};

/** Rows addressed to a campaign's group (issue 18): its alerts and its daily digest. */
export { renderGroupDelivery as GROUP_RENDERER } from './groups/group-renderer.js';
