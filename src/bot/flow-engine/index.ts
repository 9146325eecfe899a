import { FlowEngine } from './engine.js';

/**
 * The engine is stateless (state lives in the session), so one instance serves every update. It imports
 * no feature: the bot registers every flow with it when it is built (`features/flows.ts`).
 */
export const flows = new FlowEngine();
