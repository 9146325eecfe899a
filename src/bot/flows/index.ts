import { FlowEngine } from './engine.js';
import { productFlow } from './product.js';
import { registerFlow } from './register.js';
import { stockFlow } from './stock.js';
import { campaignFlow } from './campaign.js';
import { broadcastFlow } from './broadcast.js';
import { submitFlow } from './submit.js';
import { rejectReasonFlow } from './reject-reason.js';
import { withdrawReasonFlow } from './withdraw-reason.js';
import { cannotReasonFlow } from './cannot-reason.js';

/** The engine is stateless (state lives in the session), so one instance serves every update. */
export const flows = new FlowEngine([registerFlow, productFlow, stockFlow, campaignFlow, broadcastFlow, submitFlow, rejectReasonFlow, withdrawReasonFlow, cannotReasonFlow]);
