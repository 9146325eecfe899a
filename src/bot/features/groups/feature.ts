import type { Feature } from '../../dispatch/feature.js';
import { groupButtonRoutes } from './group-buttons.js';
import { linkRoutes } from './link.js';

/** Campaign groups (issue 18): linking and unlinking, /grup, the buttons on a group's alerts. */
export const groups: Feature = { name: 'groups', routes: [...linkRoutes, ...groupButtonRoutes] };

export { groupMembershipChanged, groupMigration, groupRenamed } from './membership.js';
