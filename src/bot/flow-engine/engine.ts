import { randomBytes } from 'node:crypto';
import type { Message } from 'telegraf/types';
import type { BotContext, PrivateContext } from '../context.js';
import { answerCallback, editOrReply, replyHtml } from '../ui/reply.js';
import { flowStep } from './callbacks.js';
import { storedDraft, type FlowDef } from './define.js';
import { react, STALE_PRESS, type Effect, type FlowEvent, type IncomingMessage } from './machine.js';
import type { DraftShape, FlowRun, OpenDraft, SaveOutcome, StepEnv } from './types.js';
import { confirmView, stepView, summaryView } from './view.js';

export { FLOW_IDLE_LIMIT_MS } from './machine.js';

/**
 * Runs every guided conversation on telegraf: turns an update into an event for the machine
 * (`machine.ts`, where the rules are), keeps the run it returns in the session, and performs its
 * effects with the views of `view.ts`. State lives in the session, so a flow survives a restart and
 * runs on whichever process gets the next update. Flows run only in private chats of a real person:
 * the context is narrowed once here, so saves and previews see a `PrivateContext`.
 */
export class FlowEngine {
  private readonly flows = new Map<string, FlowDef>();

  /** Adds flows; registering the same definition again is a no-op (a second bot in one process, in tests). */
  register(defs: readonly FlowDef[]): void {
    for (const d of defs) {
      const known = this.flows.get(d.name);
      if (known && known !== d) throw new Error(`two flows are named ${d.name}`);
      this.flows.set(d.name, d);
    }
  }

  /** Starts `flow`, dropping any run in progress; `draft` is typed by the flow's draft schema. */
  async start<D extends DraftShape>(ctx: BotContext, flow: FlowDef<D>, opts: { draft?: NoInfer<D>; target?: string | null; atSummary?: boolean } = {}): Promise<void> {
    const registered = this.flows.get(flow.name);
    if (!registered || registered !== flow) throw new Error(`flow ${flow.name} is not registered with the engine`);
    if (!isPrivate(ctx)) {
      ctx.log.warn({ flow: flow.name }, 'flow not started outside a private chat of a known user');
      await replyHtml(ctx, ctx.t('common.groupOnlyPrivate'));
      return;
    }
    const event: FlowEvent = {
      kind: 'start',
      runId: randomBytes(4).toString('base64url').slice(0, 6),
      draft: opts.draft ? storedDraft(opts.draft) : {},
      target: opts.target ?? null,
      atSummary: opts.atSummary ?? false,
    };
    await this.step(ctx, registered, null, event);
  }

  isActive(ctx: BotContext): boolean {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- session is unset for updates without a chat (sessionKeyOf gives no key)
    return Boolean(ctx.session?.flow && this.flows.has(ctx.session.flow.name));
  }

  /** Handles a message while a flow is active. Returns false when it is not the flow's business. */
  async handleMessage(ctx: BotContext): Promise<boolean> {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- as above: no session without a chat
    const run = ctx.session?.flow;
    if (!run) return false;
    const flow = this.flows.get(run.name);
    if (!flow) {
      ctx.session.flow = null;
      return false;
    }
    const msg = ctx.message;
    if (!msg) return false;
    if (!isPrivate(ctx)) {
      await this.endOutside(ctx, run, flow, false);
      return true;
    }
    await this.step(ctx, flow, run, { kind: 'message', message: incoming(ctx, msg) });
    return true;
  }

  async handleCallback(ctx: BotContext, data: string): Promise<void> {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- as above: no session without a chat
    const run = ctx.session?.flow;
    const flow = run ? this.flows.get(run.name) : undefined;
    if (!run || !flow) {
      await perform(ctx, STALE_PRESS);
      return;
    }
    if (!isPrivate(ctx)) {
      await this.endOutside(ctx, run, flow, true);
      return;
    }
    await this.step(ctx, flow, run, { kind: 'press', button: flowStep.match(data) });
  }

  /** `/batal` and friends: drop the flow, keep nothing. */
  cancel(ctx: BotContext): boolean {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- as above: no session without a chat
    const had = Boolean(ctx.session?.flow);
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- as above: no session without a chat
    if (ctx.session) ctx.session.flow = null;
    return had;
  }

  titleOf(ctx: BotContext): string | null {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- as above: no session without a chat
    const state = ctx.session?.flow;
    const flow = state ? this.flows.get(state.name) : undefined;
    return flow ? ctx.t(flow.title) : null;
  }

  /** One event through the machine: the run it returns goes to the session first, then its effects. */
  private async step(ctx: PrivateContext, flow: FlowDef, run: FlowRun | null, event: FlowEvent): Promise<void> {
    const next = react(flow, run, event, envOf(ctx));
    ctx.session.flow = next.run;
    for (const effect of next.effects) {
      if (effect.kind === 'save') {
        if (next.run) await this.save(ctx, flow, next.run, effect.force);
        continue;
      }
      await this.perform(ctx, flow, next.run, effect);
    }
  }

  private async save(ctx: PrivateContext, flow: FlowDef, run: FlowRun, force: boolean): Promise<void> {
    let outcome: SaveOutcome;
    try {
      outcome = await flow.save(ctx, run.draft, { target: run.target, force, requestKey: `${ctx.chat.id}:${run.startedAt}:${run.runId}` });
    } catch (err) {
      ctx.log.error({ err, flow: flow.name }, 'flow save failed');
      await this.step(ctx, flow, run, { kind: 'saveThrew' });
      return;
    }
    await this.step(ctx, flow, run, { kind: 'saveOutcome', outcome });
  }

  private async perform(ctx: PrivateContext, flow: FlowDef, run: FlowRun | null, effect: Effect): Promise<void> {
    switch (effect.kind) {
      case 'showStep': {
        if (!run) return;
        const { text, keyboard } = stepView(flow, run, openDraft(flow, run), envOf(ctx), effect.options);
        if (effect.options.edit && 'inline_keyboard' in keyboard) {
          if (effect.options.keyboardOnly) {
            try {
              await ctx.editMessageReplyMarkup(keyboard);
              return;
            } catch {
              // Fall through to a fresh message: the old one may be gone or unchanged.
            }
          }
          await editOrReply(ctx, text, keyboard);
          return;
        }
        await replyHtml(ctx, text, keyboard);
        return;
      }
      case 'showSummary': {
        if (!run) return;
        // The preview may read the database (and the broadcast's sends the message itself): fetched here.
        const preview = await flow.preview(ctx, run.draft);
        const { text, keyboard } = summaryView(flow, run, openDraft(flow, run), envOf(ctx), preview);
        if (effect.edit) await editOrReply(ctx, text, keyboard);
        else await replyHtml(ctx, text, keyboard);
        return;
      }
      case 'askConfirm': {
        if (!run) return;
        const { text, keyboard } = confirmView(run, effect, ctx.t);
        await replyHtml(ctx, text, keyboard);
        return;
      }
      case 'end':
        ctx.log.debug({ flow: flow.name, reason: effect.reason }, 'flow ended');
        return;
      default:
        await perform(ctx, effect);
    }
  }

  /**
   * A run met where no real person's private chat is (no users row): it cannot be served, so it ends
   * with the line a command leaving a flow gets (nothing was saved). Sessions are per chat, so a group
   * never holds a run; this is for a private update whose sender is not a known person.
   */
  private async endOutside(ctx: BotContext, run: FlowRun, flow: FlowDef, pressed: boolean): Promise<void> {
    ctx.session.flow = null;
    ctx.log.warn({ flow: run.name }, 'flow run met outside a private chat of a known user; ended');
    const text = ctx.t('flows.leftForCommand', { title: ctx.t(flow.title) });
    if (pressed) await answerCallback(ctx, text, true);
    else await replyHtml(ctx, text, { remove_keyboard: true });
  }
}

/** The effects that need no flow or run: messages, callback answers, the log. */
async function perform(ctx: BotContext, effect: Effect): Promise<void> {
  switch (effect.kind) {
    case 'reply': {
      const text = ctx.t(effect.key, effect.vars);
      if (effect.edit) await editOrReply(ctx, text);
      else await replyHtml(ctx, text, effect.removeKeyboard ? { remove_keyboard: true } : undefined);
      return;
    }
    case 'replyHtml':
      await replyHtml(ctx, effect.html);
      return;
    case 'answerCallback':
      await answerCallback(ctx, effect.alert ? ctx.t(effect.alert) : undefined, effect.alert !== undefined);
      return;
    case 'warn':
      ctx.log.warn(effect.details, effect.message);
      return;
    default:
  }
}

function isPrivate(ctx: BotContext): ctx is PrivateContext {
  return ctx.user !== undefined && ctx.chat?.type === 'private';
}

function envOf(ctx: PrivateContext): StepEnv {
  return { lang: ctx.lang, t: ctx.t, now: ctx.app.now(), timeZone: ctx.user.timeZone };
}

/** The machine has read this run's draft before returning it, so it opens. */
function openDraft(flow: FlowDef, run: FlowRun): OpenDraft {
  const opened = flow.open(run.draft);
  if (!opened.ok) throw new Error(`flow ${flow.name}: a run the machine returned does not open (${opened.issues.join('; ')})`);
  return opened.draft;
}

function incoming(ctx: BotContext, msg: Message): IncomingMessage {
  if ('text' in msg) return msg.entities?.length ? { kind: 'text', text: msg.text, entities: msg.entities } : { kind: 'text', text: msg.text };
  if ('contact' in msg) return { kind: 'contact', phone: msg.contact.phone_number, own: msg.contact.user_id === ctx.from?.id };
  const largest = 'photo' in msg ? msg.photo.at(-1) : undefined;
  return largest ? { kind: 'photo', fileId: largest.file_id } : { kind: 'other' };
}
