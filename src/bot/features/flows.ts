import type { FlowDef } from '../flow-engine/define.js';
import { broadcastFlow } from './broadcasts/broadcast-flow.js';
import { campaignFlow } from './campaigns/campaign-flow.js';
import { productFlow } from './catalogue/product-flow.js';
import { cannotReasonFlow } from './entries/cannot-reason-flow.js';
import { submitFlow } from './entries/submit-flow.js';
import { withdrawReasonFlow } from './entries/withdraw-reason-flow.js';
import { registerFlow } from './registration/register-flow.js';
import { rejectReasonFlow } from './review/reject-reason-flow.js';
import { stockFlow } from './stock/stock-flow.js';

/**
 * Every guided conversation, registered with the engine when the bot is built. A run stored in a session
 * names its flow, so a flow taken out of this list leaves such runs to be dropped cleanly (the engine
 * forgets a run whose flow it does not know).
 */
export const ALL_FLOWS: readonly FlowDef[] = [registerFlow, productFlow, stockFlow, campaignFlow, broadcastFlow, submitFlow, rejectReasonFlow, withdrawReasonFlow, cannotReasonFlow];
