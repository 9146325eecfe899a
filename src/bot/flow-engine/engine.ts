import { randomBytes } from 'node:crypto';
import type { InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardMarkup } from 'telegraf/types';
import { escapeHtml } from '../../domain/text.js';
import type { MessageKey } from '../../locales/index.js';
import type { BotContext } from '../context.js';
import type { FlowState, JsonValue } from '../session/schema.js';
import { answerCallback, editOrReply, replyHtml } from '../ui/reply.js';
import { flowStep } from './callbacks.js';
import type { Draft, FlowDef, Step, StepContext, StepInput, StepKeyboard } from './types.js';

export const FLOW_IDLE_LIMIT_MS = 24 * 3600 * 1000;
const SUMMARY = '$summary';
const BACK_WORDS = /^(⬅️?|⬅|<|kembali|back|⬅️\s*(kembali|back))$/iu;
const SKIP_WORDS = /^(-|lewati|skip|tidak ada|none)$/i;

/**
 * Runs every guided conversation. A flow is data (steps with prompt, keyboard, schema); the engine does
 * the rest: re-ask on bad input, back, skip, paging, expiry, the summary card, edit-a-field and save.
 * All state lives in the session, so a flow survives a restart and runs on whichever process gets the
 * next update. Buttons carry `f:<run>:<step>:<action>:<value>` (`flowStep`): a press from another run
 * or another step, or data that is not a flow button's, is stale and changes nothing.
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

  async start(ctx: BotContext, flow: FlowDef, opts: { draft?: Draft; target?: string | null; atSummary?: boolean } = {}): Promise<void> {
    const name = flow.name;
    if (this.flows.get(name) !== flow) throw new Error(`flow ${name} is not registered with the engine`);
    const now = ctx.app.now().getTime();
    const draft = opts.draft ?? {};
    const first = opts.atSummary ? SUMMARY : (this.nextStep(flow, draft, -1)?.id ?? SUMMARY);
    ctx.session.flow = {
      name,
      step: first,
      draft,
      trail: [],
      runId: randomBytes(4).toString('base64url').slice(0, 6),
      editing: false,
      target: opts.target ?? null,
      page: 0,
      startedAt: now,
      touchedAt: now,
    };
    await this.show(ctx, ctx.session.flow);
  }

  isActive(ctx: BotContext): boolean {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- session is unset for updates without a chat (sessionKeyOf gives no key)
    return Boolean(ctx.session?.flow && this.flows.has(ctx.session.flow.name));
  }

  /** Handles a message while a flow is active. Returns false when it is not the flow's business. */
  async handleMessage(ctx: BotContext): Promise<boolean> {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- as above: no session without a chat
    const state = ctx.session?.flow;
    if (!state) return false;
    const flow = this.flows.get(state.name);
    if (!flow) {
      ctx.session.flow = null;
      return false;
    }
    if (await this.expired(ctx, state, flow)) return true;
    state.touchedAt = ctx.app.now().getTime();
    const msg = ctx.message;
    if (!msg) return false;
    const text = 'text' in msg ? msg.text.trim() : undefined;
    if (text !== undefined && BACK_WORDS.test(text)) {
      await this.back(ctx, state);
      return true;
    }
    if (state.step === SUMMARY) {
      await replyHtml(ctx, ctx.t('flows.useSummaryButtons'));
      await this.show(ctx, state);
      return true;
    }
    const step = this.step(flow, state.step);
    let input: StepInput | undefined;
    // Formatted text keeps its exact characters: entity offsets point into the untrimmed text.
    if (text !== undefined) input = 'entities' in msg && msg.entities?.length ? { kind: 'text', text: msg.text, entities: msg.entities } : { kind: 'text', text };
    else if ('contact' in msg) input = { kind: 'contact', phone: msg.contact.phone_number, own: msg.contact.user_id === ctx.from?.id };
    else if ('photo' in msg && step.photo) input = { kind: 'photo', fileId: msg.photo[msg.photo.length - 1]!.file_id };
    if (!input) {
      await replyHtml(ctx, ctx.t('flows.unsupportedInput'));
      await this.show(ctx, state);
      return true;
    }
    if (input.kind === 'text' && step.optional && SKIP_WORDS.test(input.text)) {
      await this.accept(ctx, state, flow, step, null);
      return true;
    }
    await this.answer(ctx, state, flow, step, input);
    return true;
  }

  async handleCallback(ctx: BotContext, data: string): Promise<void> {
    const button = flowStep.match(data);
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- as above: no session without a chat
    const state = ctx.session?.flow;
    const flow = state ? this.flows.get(state.name) : undefined;
    if (!button || !state || !flow || state.runId !== button.run) {
      await answerCallback(ctx, ctx.t('flows.staleButton'), true);
      return;
    }
    if (await this.expired(ctx, state, flow)) {
      await answerCallback(ctx);
      return;
    }
    const { step: stepRef, action, value } = button;
    const atSummary = state.step === SUMMARY;
    const stepIndex = atSummary ? -1 : flow.steps.findIndex((s) => s.id === state.step);
    if ((atSummary && stepRef !== 'S') || (!atSummary && stepRef !== String(stepIndex))) {
      await answerCallback(ctx, ctx.t('flows.staleButton'), true);
      return;
    }
    state.touchedAt = ctx.app.now().getTime();
    await answerCallback(ctx);
    if (action === 'b') return this.back(ctx, state);
    if (action === 'x') {
      ctx.session.flow = null;
      await editOrReply(ctx, ctx.t('common.cancelled'));
      return;
    }
    if (atSummary) {
      if (action === 'e') {
        const target = flow.steps[Number(value)];
        if (!target || !this.applies(target, state.draft)) return;
        state.step = target.id;
        state.editing = true;
        state.page = 0;
        return this.show(ctx, state, { edit: true });
      }
      if (action === 'v') return this.save(ctx, state, flow, value === 'force');
      return;
    }
    const step = flow.steps[stepIndex]!;
    switch (action) {
      case 'c':
        return this.answer(ctx, state, flow, step, { kind: 'choice', value });
      case 's':
        if (step.optional) return this.accept(ctx, state, flow, step, null);
        return;
      case 'p':
        state.page = Math.max(0, Number(value) || 0);
        return this.show(ctx, state, { edit: true, keyboardOnly: true });
      case 't': {
        const kb = step.keyboard?.(this.sc(ctx, state));
        if (kb?.type !== 'multi' || !kb.options.some((o) => o.value === value)) return;
        const current = Array.isArray(state.draft[`${step.id}~`]) ? (state.draft[`${step.id}~`] as string[]) : [];
        let next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
        if (kb.exclusive) next = value === kb.exclusive ? next.filter((v) => v === kb.exclusive) : next.filter((v) => v !== kb.exclusive);
        state.draft[`${step.id}~`] = next;
        return this.show(ctx, state, { edit: true, keyboardOnly: true });
      }
      case 'd': {
        const picked = state.draft[`${step.id}~`];
        return this.answer(ctx, state, flow, step, { kind: 'choice', value: JSON.stringify(Array.isArray(picked) ? picked : []) });
      }
      default:
    }
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

  private async expired(ctx: BotContext, state: FlowState, flow: FlowDef): Promise<boolean> {
    if (ctx.app.now().getTime() - state.touchedAt <= FLOW_IDLE_LIMIT_MS) return false;
    ctx.session.flow = null;
    await replyHtml(ctx, ctx.t('flows.expired', { title: ctx.t(flow.title) }), { remove_keyboard: true });
    return true;
  }

  private async answer(ctx: BotContext, state: FlowState, flow: FlowDef, step: Step, input: StepInput): Promise<void> {
    const parsed = step.schema(this.sc(ctx, state)).safeParse(input);
    if (!parsed.success) {
      const key = parsed.error.issues[0]?.message;
      const reason = key && isMessageKey(ctx, key) ? ctx.t(key as MessageKey) : ctx.t('flows.invalid');
      await this.show(ctx, state, { error: reason });
      return;
    }
    await this.accept(ctx, state, flow, step, parsed.data);
  }

  private async accept(ctx: BotContext, state: FlowState, flow: FlowDef, step: Step, value: JsonValue): Promise<void> {
    state.draft[step.id] = value;
    // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- the draft is a JSON record keyed by step id; `<id>~` holds a step's pending input
    delete state.draft[`${step.id}~`];
    const hadReplyKeyboard = step.keyboard?.(this.sc(ctx, state)).type === 'contact';
    if (hadReplyKeyboard) {
      await replyHtml(ctx, ctx.t('flows.accepted', { value: step.display(value, this.sc(ctx, state)) }), { remove_keyboard: true });
    }
    state.page = 0;
    if (state.editing) {
      state.editing = false;
      // An edit can make a later step apply (e.g. a price now needs a currency): ask it before the card.
      const missing = flow.steps.find((s) => this.applies(s, state.draft) && !(s.id in state.draft));
      state.step = missing ? missing.id : SUMMARY;
      if (missing) state.editing = true;
    } else {
      state.trail.push(step.id);
      const idx = flow.steps.findIndex((s) => s.id === step.id);
      state.step = this.nextStep(flow, state.draft, idx)?.id ?? SUMMARY;
    }
    await this.show(ctx, state);
  }

  private async back(ctx: BotContext, state: FlowState): Promise<void> {
    if (state.editing || (state.step === SUMMARY && state.trail.length === 0)) {
      state.editing = false;
      state.step = SUMMARY;
      return this.show(ctx, state);
    }
    const previous = state.trail.pop();
    if (!previous) {
      await replyHtml(ctx, ctx.t('flows.atFirstStep'));
      return this.show(ctx, state);
    }
    state.step = previous;
    state.page = 0;
    await this.show(ctx, state, { showPrevious: true });
  }

  private async save(ctx: BotContext, state: FlowState, flow: FlowDef, force: boolean): Promise<void> {
    let outcome;
    try {
      outcome = await flow.save(ctx, state.draft, { target: state.target, force, requestKey: `${ctx.chat?.id ?? ''}:${state.startedAt}:${state.runId}` });
    } catch (err) {
      // Nothing was committed: keep the draft and the card so the user can press save again.
      ctx.log.error({ err, flow: flow.name }, 'flow save failed');
      await replyHtml(ctx, ctx.t('flows.saveFailed'));
      return this.show(ctx, state);
    }
    if (outcome.kind === 'saved') {
      ctx.session.flow = null;
      await replyHtml(ctx, outcome.html);
      return;
    }
    if (outcome.kind === 'confirm') {
      const kb: InlineKeyboardMarkup = {
        inline_keyboard: [
          [{ text: outcome.confirmLabel, callback_data: this.data(state, 'S', 'v', 'force') }],
          [{ text: ctx.t('flows.backToSummary'), callback_data: this.data(state, 'S', 'b') }],
        ],
      };
      await replyHtml(ctx, outcome.html, kb);
      return;
    }
    await replyHtml(ctx, outcome.html);
    await this.show(ctx, state);
  }

  private async show(
    ctx: BotContext,
    state: FlowState,
    opts: { error?: string; edit?: boolean; keyboardOnly?: boolean; showPrevious?: boolean } = {},
  ): Promise<void> {
    const flow = this.def(state.name);
    if (state.step === SUMMARY) return this.showSummary(ctx, state, flow, opts.edit ?? false);
    const step = this.step(flow, state.step);
    const sc = this.sc(ctx, state);
    const applicable = flow.steps.filter((s) => this.applies(s, state.draft));
    const position = applicable.findIndex((s) => s.id === step.id) + 1;
    const lines: string[] = [];
    if (opts.error) lines.push(`⚠️ ${opts.error}`, '');
    lines.push(ctx.t('flows.header', { title: ctx.t(flow.title), n: position, total: applicable.length }));
    lines.push(ctx.t(step.prompt));
    if (step.optional) lines.push(ctx.t('flows.optionalHint'));
    const previous = state.draft[step.id];
    if ((opts.showPrevious || state.editing) && previous !== undefined && previous !== null) {
      lines.push('', ctx.t('flows.previousAnswer', { value: step.display(previous, sc) }));
    }
    const keyboard = this.keyboardFor(ctx, state, flow, step);
    if (opts.edit && 'inline_keyboard' in keyboard) {
      if (opts.keyboardOnly) {
        try {
          await ctx.editMessageReplyMarkup(keyboard);
          return;
        } catch {
          // Fall through to a fresh message: the old one may be gone or unchanged.
        }
      }
      await editOrReply(ctx, lines.join('\n'), keyboard);
      return;
    }
    await replyHtml(ctx, lines.join('\n'), keyboard);
  }

  private async showSummary(ctx: BotContext, state: FlowState, flow: FlowDef, edit: boolean): Promise<void> {
    const sc = this.sc(ctx, state);
    const rows = flow.steps
      .filter((s) => this.applies(s, state.draft))
      .map((s) => {
        const v = state.draft[s.id];
        return `<b>${escapeHtml(ctx.t(s.label))}:</b> ${v === undefined || v === null ? ctx.t('flows.empty') : s.display(v, sc)}`;
      });
    const preview = flow.preview ? await flow.preview(ctx, state.draft) : null;
    const text = [ctx.t('flows.summaryTitle', { title: ctx.t(flow.title) }), '', ...rows, ...(preview ? ['', preview] : []), '', ctx.t('flows.summaryHint')].join('\n');
    const editButtons: InlineKeyboardButton[] = flow.steps
      .map((s, i) => ({ s, i }))
      .filter(({ s }) => this.applies(s, state.draft))
      .map(({ s, i }) => ({ text: `✏️ ${ctx.t(s.label)}`, callback_data: this.data(state, 'S', 'e', String(i)) }));
    const kb: InlineKeyboardMarkup = {
      inline_keyboard: [
        ...chunk(editButtons, 2),
        [
          { text: ctx.t('flows.save'), callback_data: this.data(state, 'S', 'v') },
          { text: ctx.t('flows.cancel'), callback_data: this.data(state, 'S', 'x') },
        ],
      ],
    };
    if (edit) await editOrReply(ctx, text, kb);
    else await replyHtml(ctx, text, kb);
  }

  private keyboardFor(ctx: BotContext, state: FlowState, flow: FlowDef, step: Step): InlineKeyboardMarkup | ReplyKeyboardMarkup {
    const idx = String(flow.steps.findIndex((s) => s.id === step.id));
    const kb: StepKeyboard | undefined = step.keyboard?.(this.sc(ctx, state));
    const canGoBack = state.trail.length > 0 || state.editing;
    if (kb?.type === 'contact') {
      const rows: ReplyKeyboardMarkup['keyboard'] = [[{ text: kb.label, request_contact: true }]];
      if (canGoBack) rows.push([{ text: ctx.t('common.back') }]);
      return { keyboard: rows, resize_keyboard: true, one_time_keyboard: true, is_persistent: false };
    }
    const rows: InlineKeyboardButton[][] = [];
    if (kb?.type === 'choices') {
      const size = kb.pageSize ?? kb.options.length;
      const pages = Math.max(1, Math.ceil(kb.options.length / size));
      const page = Math.min(state.page, pages - 1);
      const visible = kb.options.slice(page * size, page * size + size);
      rows.push(...chunk(visible.map((o) => ({ text: o.label, callback_data: this.data(state, idx, 'c', o.value) })), kb.columns));
      if (pages > 1) {
        const nav: InlineKeyboardButton[] = [];
        if (page > 0) nav.push({ text: ctx.t('flows.prevPage'), callback_data: this.data(state, idx, 'p', String(page - 1)) });
        nav.push({ text: `${page + 1}/${pages}`, callback_data: this.data(state, idx, 'p', String(page)) });
        if (page < pages - 1) nav.push({ text: ctx.t('flows.nextPage'), callback_data: this.data(state, idx, 'p', String(page + 1)) });
        rows.push(nav);
      }
    } else if (kb?.type === 'multi') {
      const picked = state.draft[`${step.id}~`] ?? state.draft[step.id];
      const selected = new Set(Array.isArray(picked) ? picked.map(String) : []);
      rows.push(...chunk(kb.options.map((o) => ({ text: `${selected.has(o.value) ? '✅' : '▫️'} ${o.label}`, callback_data: this.data(state, idx, 't', o.value) })), kb.columns));
      rows.push([{ text: ctx.t('flows.done'), callback_data: this.data(state, idx, 'd') }]);
      if (!(`${step.id}~` in state.draft)) state.draft[`${step.id}~`] = [...selected];
    }
    const tail: InlineKeyboardButton[] = [];
    if (canGoBack) tail.push({ text: ctx.t('common.back'), callback_data: this.data(state, idx, 'b') });
    if (step.optional) tail.push({ text: ctx.t('flows.skip'), callback_data: this.data(state, idx, 's') });
    if (tail.length) rows.push(tail);
    return { inline_keyboard: rows };
  }

  private data(state: FlowState, step: string, action: string, value = ''): string {
    return flowStep.pack({ run: state.runId, step, action, value });
  }

  private sc(ctx: BotContext, state: FlowState): StepContext {
    return { lang: ctx.lang, t: ctx.t, draft: state.draft, now: ctx.app.now(), timeZone: ctx.user?.timeZone ?? ctx.app.config.DEFAULT_TIMEZONE };
  }

  private applies(step: Step, draft: Draft): boolean {
    return step.when ? step.when(draft) : true;
  }

  private nextStep(flow: FlowDef, draft: Draft, afterIndex: number): Step | undefined {
    return flow.steps.slice(afterIndex + 1).find((s) => this.applies(s, draft));
  }

  private step(flow: FlowDef, id: string): Step {
    const s = flow.steps.find((x) => x.id === id);
    if (!s) throw new Error(`flow ${flow.name} has no step ${id}`);
    return s;
  }

  private def(name: string): FlowDef {
    const f = this.flows.get(name);
    if (!f) throw new Error(`unknown flow ${name}`);
    return f;
  }
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function isMessageKey(ctx: BotContext, key: string): boolean {
  // i18next returns the key itself for a missing key; a schema's stray English message is not shown.
  return /^[a-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)+$/.test(key) && ctx.t(key as MessageKey) !== key;
}
