/**
 * Exporters' questions and the team's answers (issue 18 item 5): a reply to a campaign's message is
 * relayed to its team, and the team's reply to that goes back to the exporter. It has no command or
 * button of its own: a recogniser (`replyToBot`, placed in `features/index.ts`) and a delivery renderer
 * (`relay-renderer.ts`, registered in `features/renderers.ts`).
 */
export { replyToBot } from './handlers.js';
export { renderRelay } from './relay-renderer.js';
