import type { Feature } from '../../dispatch/feature.js';
import { exporterCampaignRoutes } from './exporter-handlers.js';
import { officialCampaignRoutes } from './official-handlers.js';

/** Campaigns as exporters see them (/kampanye, /senyap, /bunyikan) and as officials run them (/kampanye_baru, /kampanye_saya). */
export const campaigns: Feature = { name: 'campaigns', routes: [...exporterCampaignRoutes, ...officialCampaignRoutes] };
