import type { MiddlewareFn } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { BotContext } from '../context.js';
import { commandName } from './command.js';
import { unknownButton, unknownMessage } from './fallback.js';
import type { ButtonContext, ButtonRoute, CommandContext, CommandRoute, Feature, MessageContext, OtherUpdateKind, Recogniser, Run, UpdateRoute } from './feature.js';
import { flowButtons, leaveFlowForCommand, type FlowPort } from './flow-steps.js';

export interface DispatcherParts {
  readonly features: readonly Feature[];
  /** Asked in this order for a message no command took (`features/index.ts` declares it). */
  readonly recognisers: readonly Recogniser[];
  /** The flow engine: its buttons come before every feature's, and an open flow gives way to a command. */
  readonly flows: FlowPort;
}

/**
 * Button routes by prefix. A prefix is one or more `:`-separated segments (`rp`, `rv:s`, `rv:s2`); data
 * goes to the route of its longest prefix that ends at a segment boundary, so `rv:s2:5` is `rv:s2`'s and
 * `rv:s:5` is `rv:s`'s. Looked up by trying the data's first segments, longest first: a few Map reads.
 */
export class ButtonTable {
  private readonly byPrefix = new Map<string, ButtonRoute>();
  /** The most segments any prefix has: no longer head of the data needs trying. */
  private depth = 0;

  constructor(routes: Iterable<ButtonRoute>) {
    for (const route of routes) {
      if (this.byPrefix.has(route.prefix)) throw new Error(`dispatcher: two button routes for the prefix ${route.prefix}`);
      this.byPrefix.set(route.prefix, route);
      this.depth = Math.max(this.depth, route.prefix.split(':').length);
    }
  }

  lookup(data: string): ButtonRoute | undefined {
    const ends: number[] = [];
    for (let from = 0; ends.length < this.depth; ) {
      const colon = data.indexOf(':', from);
      if (colon < 0) {
        ends.push(data.length);
        break;
      }
      ends.push(colon);
      from = colon + 1;
    }
    for (let i = ends.length - 1; i >= 0; i--) {
      const route = this.byPrefix.get(data.slice(0, ends[i]));
      if (route) return route;
    }
    return undefined;
  }
}

function commandTable(features: readonly Feature[]): Map<string, { route: CommandRoute; feature: string }> {
  const table = new Map<string, { route: CommandRoute; feature: string }>();
  for (const feature of features) {
    for (const route of feature.routes) {
      if (route.kind !== 'command') continue;
      for (const name of route.names) {
        const known = table.get(name);
        if (known) throw new Error(`dispatcher: /${name} is routed twice (features ${known.feature} and ${feature.name})`);
        table.set(name, { route, feature: feature.name });
      }
    }
  }
  return table;
}

function updateTable(features: readonly Feature[]): UpdateRoute[] {
  const seen = new Set<OtherUpdateKind>();
  const routes: UpdateRoute[] = [];
  for (const feature of features) {
    for (const route of feature.routes) {
      if (route.kind !== 'update') continue;
      if (seen.has(route.update)) throw new Error(`dispatcher: two routes for ${route.update} updates`);
      seen.add(route.update);
      routes.push(route);
    }
  }
  return routes;
}

const isMessage = (ctx: BotContext): ctx is MessageContext => 'message' in ctx.update;
const isButtonPress = (ctx: BotContext): ctx is ButtonContext => 'callback_query' in ctx.update;
const isTextMessage = (ctx: MessageContext): ctx is CommandContext => 'text' in ctx.message;
const dataOf = (cq: Update.CallbackQueryUpdate['callback_query']): string | undefined => ('data' in cq ? cq.data : undefined);

/**
 * The one middleware behind the kernel's (session, user and language, metrics) that routes an update to
 * its handler, replacing a telegraf chain of ~120 filters whose order decided who got a message.
 *
 * - A **button press** goes to the route of its data's prefix (the flow engine's `f:` first among equals:
 *   its prefix is in the same table). A route that does not take it (its values do not decode, or it is a
 *   private route and this is not a private chat with a known user), data no route claims, or a press
 *   without data: the spinner is stopped and nothing changes (`unknownButton`).
 * - A **message**: while a flow is open, a command other than /batal ends it first. Then the command it
 *   names, if a route takes it; else the first recogniser that takes it; else `unknownMessage` (private
 *   chats only).
 * - **Other updates** go to the feature that routes their kind, if any; the rest pass on.
 *
 * Built once: two routes for one command name, one prefix or one update kind throw here, when the bot is
 * built, instead of one of them silently never running.
 */
export function createDispatcher({ features, recognisers, flows }: DispatcherParts): MiddlewareFn<BotContext> {
  const commands = commandTable(features);
  const buttons = new ButtonTable([flowButtons(flows), ...features.flatMap((f) => f.routes.filter((r) => r.kind === 'button'))]);
  const updates = updateTable(features);

  const commandRun = (ctx: MessageContext): Run | undefined => {
    if (!isTextMessage(ctx)) return undefined;
    const name = commandName(ctx.message, ctx.me);
    return name === undefined ? undefined : commands.get(name)?.route.take(ctx);
  };
  const recognised = (ctx: MessageContext): Run | undefined => {
    for (const r of recognisers) {
      const run = r.take(ctx);
      if (run) return run;
    }
    return undefined;
  };

  return async (ctx, next) => {
    if (isMessage(ctx)) {
      await leaveFlowForCommand(flows, ctx);
      const run = commandRun(ctx) ?? recognised(ctx);
      await (run ? run() : unknownMessage(ctx));
      return;
    }
    if (isButtonPress(ctx)) {
      const data = dataOf(ctx.callbackQuery);
      const run = data === undefined ? undefined : buttons.lookup(data)?.take(ctx, data);
      await (run ? run() : unknownButton(ctx));
      return;
    }
    for (const route of updates) {
      const run = route.take(ctx);
      if (run) {
        await run();
        return;
      }
    }
    await next();
  };
}
