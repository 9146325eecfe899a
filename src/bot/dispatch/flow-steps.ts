import type { BotContext } from '../context.js';
import { flowStep } from '../flow-engine/callbacks.js';
import { replyHtml } from '../ui/reply.js';
import { anyChatRecogniser, type ButtonRoute, type MessageContext, type Recogniser } from './feature.js';

/**
 * The flow engine's place in the dispatch (what `flow-engine/router.ts` did in front of the telegraf
 * chain): its buttons, its answers, and leaving a flow for a command. Only the engine's public API is
 * used, so a test can hand in a stand-in.
 */
export interface FlowPort {
  isActive(ctx: BotContext): boolean;
  handleMessage(ctx: BotContext): Promise<boolean>;
  handleCallback(ctx: BotContext, data: string): Promise<void>;
  cancel(ctx: BotContext): boolean;
  titleOf(ctx: BotContext): string | null;
}

/**
 * `/batal` as the flow step has always read it: any case, any `@bot`. Such a message leaves the flow open
 * for the /batal command to close (and say so); a case or bot the command does not accept then reaches
 * the fallback with the flow still open, as before.
 */
const CANCEL = /^\/(batal|cancel)(@\w+)?(\s|$)/i;

const slashText = (ctx: MessageContext): string | undefined => ('text' in ctx.message && ctx.message.text.startsWith('/') ? ctx.message.text : undefined);

/** Every `f:` press, well-formed or not, in any chat: the engine answers a malformed or old one as stale. */
export function flowButtons(engine: FlowPort): ButtonRoute {
  return { kind: 'button', prefix: flowStep.prefix, scope: 'any', take: (ctx, data) => () => engine.handleCallback(ctx, data) };
}

/**
 * Before a message is routed: while a flow is open in a private chat, a text starting with `/` other than
 * /batal ends the flow, with a line saying so, and is then routed like any message (the command runs).
 */
export async function leaveFlowForCommand(engine: FlowPort, ctx: MessageContext): Promise<void> {
  if (ctx.chat.type !== 'private' || !engine.isActive(ctx)) return;
  const text = slashText(ctx);
  if (text === undefined || CANCEL.test(text)) return;
  const title = engine.titleOf(ctx);
  engine.cancel(ctx);
  if (title) await replyHtml(ctx, ctx.t('flows.leftForCommand', { title }), { remove_keyboard: true });
}

/**
 * The open flow takes every other message of its private chat (an answer, a photo, a contact), whatever
 * else it might look like. A user row is not required: the engine's steps do not need one.
 */
export function openFlow(engine: FlowPort): Recogniser {
  return anyChatRecogniser(
    'open flow',
    (ctx) => (ctx.chat.type === 'private' && engine.isActive(ctx) && slashText(ctx) === undefined ? ctx.message : undefined),
    (ctx) => engine.handleMessage(ctx),
  );
}
