import type { NarrowedContext } from 'telegraf';
import type { Message, Update } from 'telegraf/types';
import type { CallbackData, Fields, Values } from '../callback-data.js';
import type { BotContext, PrivateContext } from '../context.js';

/**
 * What a feature tells the dispatcher (`dispatcher.ts`): its commands by name, its buttons by codec, and
 * the other update kinds it handles. A route is built with one of the functions below, which fix its
 * scope: `private…` routes run only for a real person in a private chat with their users row loaded, and
 * hand the handler a `PrivateContext`; `anyChat…` routes run wherever the update comes from.
 *
 * Every route answers `take`: the handler to run, or undefined when the update is not the route's after
 * all (a private route in a group, button data whose values do not decode). The dispatcher then carries
 * on as if no route had matched (the recognisers, then the fallback), as the telegraf chain did.
 */

/**
 * The context of one update kind. Built as telegraf's `NarrowedContext` (an intersection), not as
 * `BotContext<U>`: TypeScript measures telegraf's `Context<U>` as invariant in `U`, so a `BotContext<U>`
 * could not be handed to the many helpers that take a `BotContext`; the intersection can.
 */
export type UpdateContext<U extends Update> = NarrowedContext<BotContext, U>;
/** What the private scope adds: the sender's users row, and a private chat (see `isPrivate`). */
export type PrivateParts = Pick<PrivateContext, 'user' | 'chat'>;

export type TextMessageUpdate = Update.MessageUpdate<Message.TextMessage>;
/** Any new message (text, photo, contact, …): what the recognisers and the fallback see. */
export type MessageContext = UpdateContext<Update.MessageUpdate>;
/** A text message, the only kind a command can be (telegraf 4.16 reads commands from `text` only). */
export type CommandContext = UpdateContext<TextMessageUpdate>;
export type ButtonContext = UpdateContext<Update.CallbackQueryUpdate>;
/** Each of these is a `PrivateContext` (context.ts), narrowed to its update kind. */
export type PrivateCommandContext = CommandContext & PrivateParts;
export type PrivateButtonContext = ButtonContext & PrivateParts;
export type PrivateMessageContext = MessageContext & PrivateParts;

/** A handler bound to its update, chosen by the dispatcher and not yet run. */
export type Run = () => Promise<unknown>;

export type Scope = 'private' | 'any';

export interface CommandRoute {
  readonly kind: 'command';
  /** Exact names, case-sensitive as telegraf compares them (`['stok', 'stock']`). */
  readonly names: readonly string[];
  readonly scope: Scope;
  take(ctx: CommandContext): Run | undefined;
}

export interface ButtonRoute {
  readonly kind: 'button';
  /** The codec's prefix; the dispatcher hands the route every data whose longest known prefix this is. */
  readonly prefix: string;
  readonly scope: Scope;
  take(ctx: ButtonContext, data: string): Run | undefined;
}

/**
 * Update kinds other than messages and button presses that a feature may handle; another is added here
 * with its guard and its `on…` function below.
 */
export type OtherUpdateKind = 'my_chat_member' | 'edited_message' | 'inline_query';

/** A message the user edited (Telegram sends the whole message again, with `edit_date`). */
export type EditedMessageContext = UpdateContext<Update.EditedMessageUpdate>;
export type PrivateEditedMessageContext = EditedMessageContext & PrivateParts;

export interface UpdateRoute {
  readonly kind: 'update';
  readonly update: OtherUpdateKind;
  take(ctx: BotContext): Run | undefined;
}

export type Route = CommandRoute | ButtonRoute | UpdateRoute;

/** One feature folder's routes, as `features/index.ts` lists them. */
export interface Feature {
  readonly name: string;
  readonly routes: readonly Route[];
}

/**
 * Reads a message that no command took (free text, a photo, a contact). The dispatcher asks the
 * recognisers of `features/index.ts` in their order; the first that takes the message handles it.
 * `take` decides from the update and the session alone (no I/O), so asking is cheap and side-effect free.
 */
export interface Recogniser {
  readonly name: string;
  readonly scope: Scope;
  take(ctx: MessageContext): Run | undefined;
}

/** A real person in a private chat, their users row loaded (set by `userAndLocale` only for them). */
export function isPrivate<C extends BotContext>(ctx: C): ctx is C & PrivateParts {
  return ctx.chat?.type === 'private' && ctx.user !== undefined;
}

type Handler<C> = (ctx: C) => Promise<unknown>;
type ButtonHandler<C, F extends Fields> = (ctx: C, values: Values<F>) => Promise<unknown>;

export function privateCommand(names: readonly string[], handle: Handler<PrivateCommandContext>): CommandRoute {
  return { kind: 'command', names, scope: 'private', take: (ctx) => (isPrivate(ctx) ? () => handle(ctx) : undefined) };
}

export function anyChatCommand(names: readonly string[], handle: Handler<CommandContext>): CommandRoute {
  return { kind: 'command', names, scope: 'any', take: (ctx) => () => handle(ctx) };
}

/** A press of one codec's button; data the codec does not read back (forged, malformed) is not taken. */
export function privateButton<F extends Fields>(codec: CallbackData<F>, handle: ButtonHandler<PrivateButtonContext, F>): ButtonRoute {
  return {
    kind: 'button',
    prefix: codec.prefix,
    scope: 'private',
    take: (ctx, data) => {
      if (!isPrivate(ctx)) return undefined;
      const values = codec.match(data);
      return values === undefined ? undefined : () => handle(ctx, values);
    },
  };
}

export function anyChatButton<F extends Fields>(codec: CallbackData<F>, handle: ButtonHandler<ButtonContext, F>): ButtonRoute {
  return {
    kind: 'button',
    prefix: codec.prefix,
    scope: 'any',
    take: (ctx, data) => {
      const values = codec.match(data);
      return values === undefined ? undefined : () => handle(ctx, values);
    },
  };
}

const isMyChatMember = (ctx: BotContext): ctx is UpdateContext<Update.MyChatMemberUpdate> => 'my_chat_member' in ctx.update;

/** A change of the bot's own membership in a chat (blocked, unblocked, added to a group), from any chat. */
export function onMyChatMember(handle: Handler<UpdateContext<Update.MyChatMemberUpdate>>): UpdateRoute {
  return { kind: 'update', update: 'my_chat_member', take: (ctx) => (isMyChatMember(ctx) ? () => handle(ctx) : undefined) };
}

const isEditedMessage = (ctx: BotContext): ctx is EditedMessageContext => 'edited_message' in ctx.update;

/**
 * An edit of a message a real person sent in a private chat (issue 16: an edited report is a
 * correction). Edits elsewhere are not taken, and pass on as every unrouted update does.
 */
export function onPrivateEdit(handle: Handler<PrivateEditedMessageContext>): UpdateRoute {
  return {
    kind: 'update',
    update: 'edited_message',
    take: (ctx) => {
      if (!isEditedMessage(ctx) || !isPrivate(ctx)) return undefined;
      return () => handle(ctx);
    },
  };
}

/** `@bot …` typed in any chat: no chat, so no session and no users row; `from` is who is typing. */
export type InlineQueryContext = UpdateContext<Update.InlineQueryUpdate>;

const isInlineQuery = (ctx: BotContext): ctx is InlineQueryContext => 'inline_query' in ctx.update;

/** An inline query (inline mode, switched on with @BotFather's /setinline), from anyone, in any chat. */
export function onInlineQuery(handle: Handler<InlineQueryContext>): UpdateRoute {
  return { kind: 'update', update: 'inline_query', take: (ctx) => (isInlineQuery(ctx) ? () => handle(ctx) : undefined) };
}

/**
 * A recogniser for real people in private chats. `read` says whether the message is this recogniser's by
 * returning what the handler needs from it (e.g. the report's text), or undefined when it is not.
 */
export function privateRecogniser<T>(name: string, read: (ctx: PrivateMessageContext) => T | undefined, handle: (ctx: PrivateMessageContext, found: T) => Promise<unknown>): Recogniser {
  return {
    name,
    scope: 'private',
    take: (ctx) => {
      if (!isPrivate(ctx)) return undefined;
      const found = read(ctx);
      return found === undefined ? undefined : () => handle(ctx, found);
    },
  };
}

export function anyChatRecogniser<T>(name: string, read: (ctx: MessageContext) => T | undefined, handle: (ctx: MessageContext, found: T) => Promise<unknown>): Recogniser {
  return {
    name,
    scope: 'any',
    take: (ctx) => {
      const found = read(ctx);
      return found === undefined ? undefined : () => handle(ctx, found);
    },
  };
}
