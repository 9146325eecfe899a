import { callbackData, token } from '../callback-data.js';

/**
 * A flow button: `f:<run>:<step>:<action>:<value>`, the engine's format since flows began (buttons in
 * chats and runs kept in sessions use it). `run` is the run's id (a press from another run is stale),
 * `step` the step's index or `S` for the summary card, `action` one letter, `value` a choice's value,
 * a page or a step index, written even when empty (`f:ab12Cd:S:v:`).
 */
export const flowStep = callbackData('f', { run: token(8), step: token(3), action: token(1), value: token(40, 0) });
