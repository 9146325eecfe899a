import type { MessageKey, MessageVars, Translate } from '../../locales/index.js';
import type { JsonValue } from '../session/schema.js';
import type { FlowRun, FlowShape, OpenDraft, SaveOutcome, StepEnv, StepInput, StepKeyboard, StoredDraft } from './types.js';

/**
 * The flow engine's rules, as a pure function: (flow, run, event, env) → the run after it and the effects
 * to perform, as data. No Telegram, no session store, no database: the adapter (`engine.ts`) turns an
 * update into an event, performs the effects and feeds a save's outcome back as one more event.
 */

/** A run untouched for this long is over: its next message or press says so, and nothing is saved. */
export const FLOW_IDLE_LIMIT_MS = 24 * 3600 * 1000;
/** A run's `step` while the summary card is shown. */
export const SUMMARY = '$summary';
/** The `step` a summary card's buttons carry (a step's buttons carry its index). */
export const SUMMARY_REF = 'S';
const BACK_WORDS = /^(⬅️?|⬅|<|kembali|back|⬅️\s*(kembali|back))$/iu;
const SKIP_WORDS = /^(-|lewati|skip|tidak ada|none)$/i;

/** A message as the adapter read it; text is as sent (entity offsets point into the untrimmed text). */
export type IncomingMessage =
  | { kind: 'text'; text: string; entities?: unknown[] }
  | { kind: 'contact'; phone: string; own: boolean }
  | { kind: 'photo'; fileId: string }
  /** A sticker, a voice note, …: nothing a step takes. */
  | { kind: 'other' };

/** A flow button's data (`flowStep`): run id, step index or `S`, one action letter, a value. */
export interface FlowButton {
  run: string;
  step: string;
  action: string;
  value: string;
}

export type FlowEvent =
  | { kind: 'start'; runId: string; draft: StoredDraft; target: string | null; atSummary: boolean }
  /** Any message while the run waits: an answer, a back or skip word, or something no step takes. */
  | { kind: 'message'; message: IncomingMessage }
  /** A press of an `f:` button; `button` is undefined when its data does not decode (forged or foreign). */
  | { kind: 'press'; button: FlowButton | undefined }
  /** What the flow's save answered to a `save` effect. */
  | { kind: 'saveOutcome'; outcome: SaveOutcome }
  /** The save threw: nothing was committed. */
  | { kind: 'saveThrew' };

export interface ShowOptions {
  /** Said above the question when the last answer was refused. */
  error?: MessageKey;
  /** Edit the pressed message instead of sending a new one. */
  edit?: boolean;
  /** Only the keyboard changed (a page, a toggle): edit just the markup. */
  keyboardOnly?: boolean;
  /** Show the stored answer under the question (after ⬅️). */
  showPrevious?: boolean;
}

export type EndReason = 'saved' | 'cancelled' | 'expired' | 'unreadable';

export type Effect =
  /** The run's current step (the run the transition returns). */
  | { kind: 'showStep'; options: ShowOptions }
  /** The run's summary card, with the flow's preview under it. */
  | { kind: 'showSummary'; edit: boolean }
  | { kind: 'reply'; key: MessageKey; vars?: MessageVars; removeKeyboard?: boolean; edit?: boolean }
  /** The save's own text. */
  | { kind: 'replyHtml'; html: string }
  /** The save's question, with «yes» (`S:v:force`) and back (`S:b`) buttons. */
  | { kind: 'askConfirm'; html: string; confirmLabel: string }
  | { kind: 'answerCallback'; alert?: MessageKey }
  /** Call the flow's save with the run's draft; its outcome comes back as an event. Always last. */
  | { kind: 'save'; force: boolean }
  /** The run is over (the transition's run is null); why, for the log. */
  | { kind: 'end'; reason: EndReason }
  | { kind: 'warn'; message: string; details: Record<string, JsonValue> };

export interface Transition {
  run: FlowRun | null;
  effects: Effect[];
}

/** What a press answers when it belongs to no run the chat has (another run, another step, no run). */
export const STALE_PRESS: Effect = { kind: 'answerCallback', alert: 'flows.staleButton' };

export function react(flow: FlowShape, run: FlowRun | null, event: FlowEvent, env: StepEnv): Transition {
  if (event.kind === 'start') return start(flow, event, env);
  if (!run) return { run: null, effects: event.kind === 'press' ? [STALE_PRESS] : [] };
  // Worked on as a copy, so the caller's run is never changed: the transition's is the new one.
  const r = structuredClone(run);
  switch (event.kind) {
    case 'message':
      return onMessage(flow, r, event.message, env);
    case 'press':
      return onPress(flow, r, event.button, env);
    case 'saveOutcome':
      return onSaveOutcome(r, event.outcome);
    case 'saveThrew':
      // Nothing was committed: keep the draft and the card so the user can press save again.
      return { run: r, effects: [reply('flows.saveFailed'), { kind: 'showSummary', edit: false }] };
  }
}

/** Pages of a paged choice keyboard (1 for any other). */
export function pageCount(kb: StepKeyboard | undefined): number {
  if (kb?.type !== 'choices') return 1;
  const size = kb.pageSize ?? kb.options.length;
  return size > 0 ? Math.max(1, Math.ceil(kb.options.length / size)) : 1;
}

/** Where a multi-select's toggles wait for «Selesai»: `<stepId>~` in the draft. */
export function pendingKey(stepId: string): string {
  return `${stepId}~`;
}

/** The picks stored under a multi-select's key (strings only: option values are strings). */
export function picksOf(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function start(flow: FlowShape, event: Extract<FlowEvent, { kind: 'start' }>, env: StepEnv): Transition {
  const now = env.now.getTime();
  const run: FlowRun = {
    name: flow.name,
    step: SUMMARY,
    draft: structuredClone(event.draft),
    trail: [],
    runId: event.runId,
    editing: false,
    target: event.target,
    page: 0,
    startedAt: now,
    touchedAt: now,
  };
  const read = readRun(flow, run, env);
  if (!read.ok) return read.dropped;
  if (!event.atSummary) run.step = nextStep(flow, read.draft, -1) ?? SUMMARY;
  return { run, effects: show(flow, run, read.draft, env) };
}

function onMessage(flow: FlowShape, run: FlowRun, message: IncomingMessage, env: StepEnv): Transition {
  if (idle(run, env)) return expire(flow, env);
  run.touchedAt = env.now.getTime();
  const read = readRun(flow, run, env);
  if (!read.ok) return read.dropped;
  const draft = read.draft;
  const trimmed = message.kind === 'text' ? message.text.trim() : undefined;
  if (trimmed !== undefined && BACK_WORDS.test(trimmed)) return back(flow, run, draft, env);
  if (read.index < 0) return { run, effects: [reply('flows.useSummaryButtons'), ...show(flow, run, draft, env)] };
  const step = flow.steps[read.index];
  const input = inputOf(message, step?.photo ?? false);
  if (!input) return { run, effects: [reply('flows.unsupportedInput'), ...show(flow, run, draft, env)] };
  if (input.kind === 'text' && step?.optional && SKIP_WORDS.test(input.text)) return accept(flow, run, read.index, null, env);
  return answer(flow, run, draft, read.index, input, env);
}

function inputOf(message: IncomingMessage, takesPhoto: boolean): StepInput | undefined {
  switch (message.kind) {
    case 'text':
      // Formatted text keeps its exact characters: entity offsets point into the untrimmed text.
      return message.entities?.length ? { kind: 'text', text: message.text, entities: message.entities } : { kind: 'text', text: message.text.trim() };
    case 'contact':
      return { kind: 'contact', phone: message.phone, own: message.own };
    case 'photo':
      return takesPhoto ? { kind: 'photo', fileId: message.fileId } : undefined;
    case 'other':
      return undefined;
  }
}

function onPress(flow: FlowShape, run: FlowRun, button: FlowButton | undefined, env: StepEnv): Transition {
  if (button?.run !== run.runId) return { run, effects: [STALE_PRESS] };
  const answered: Effect = { kind: 'answerCallback' };
  if (idle(run, env)) return expire(flow, env, [answered]);
  const read = readRun(flow, run, env);
  if (!read.ok) return { run: null, effects: [answered, ...read.dropped.effects] };
  const { draft, index } = read;
  const atSummary = index < 0;
  if (button.step !== (atSummary ? SUMMARY_REF : String(index))) return { run, effects: [STALE_PRESS] };
  run.touchedAt = env.now.getTime();
  const then = (t: Transition): Transition => ({ run: t.run, effects: [answered, ...t.effects] });
  const nothing: Transition = { run, effects: [answered] };
  const { action, value } = button;
  if (action === 'b') return then(back(flow, run, draft, env));
  if (action === 'x') return { run: null, effects: [answered, { kind: 'end', reason: 'cancelled' }, reply('common.cancelled', { edit: true })] };
  if (atSummary) {
    if (action === 'v') return { run, effects: [answered, { kind: 'save', force: value === 'force' }] };
    if (action !== 'e') return nothing;
    const target = Number(value);
    const facts = flow.steps[target];
    // An offered step (⏰ Kirim nanti) is opened from the card before it applies.
    if (!facts || !(draft.applies(target) || facts.offer !== undefined)) return nothing;
    run.step = facts.id;
    run.editing = true;
    run.page = 0;
    return then({ run, effects: show(flow, run, draft, env, { edit: true }) });
  }
  const step = flow.steps[index];
  switch (action) {
    case 'c':
      return then(answer(flow, run, draft, index, { kind: 'choice', value }, env));
    case 's':
      return step?.optional ? then(accept(flow, run, index, null, env)) : nothing;
    case 'p': {
      // Held to the pages there are: a forged or outdated page never reaches the session.
      const wanted = Number(value);
      const last = pageCount(draft.keyboard(index, env)) - 1;
      run.page = Number.isSafeInteger(wanted) && wanted > 0 ? Math.min(wanted, last) : 0;
      return then({ run, effects: show(flow, run, draft, env, { edit: true, keyboardOnly: true }) });
    }
    case 't': {
      const kb = draft.keyboard(index, env);
      if (kb?.type !== 'multi' || !kb.options.some((o) => o.value === value) || !step) return nothing;
      const key = pendingKey(step.id);
      const current = picksOf(run.draft[key]);
      let next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
      // The exclusive option ("none", "all") and the others rule each other out.
      if (kb.exclusive !== undefined) {
        const exclusive = kb.exclusive;
        next = value === exclusive ? next.filter((v) => v === exclusive) : next.filter((v) => v !== exclusive);
      }
      run.draft[key] = next;
      return then({ run, effects: show(flow, run, draft, env, { edit: true, keyboardOnly: true }) });
    }
    case 'd': {
      const picked = step ? run.draft[pendingKey(step.id)] : undefined;
      return then(answer(flow, run, draft, index, { kind: 'choice', value: JSON.stringify(Array.isArray(picked) ? picked : []) }, env));
    }
    default:
      return nothing;
  }
}

function onSaveOutcome(run: FlowRun, outcome: SaveOutcome): Transition {
  switch (outcome.kind) {
    case 'saved':
      return { run: null, effects: [{ kind: 'end', reason: 'saved' }, { kind: 'replyHtml', html: outcome.html }] };
    case 'confirm':
      if (outcome.draft) run.draft = { ...run.draft, ...outcome.draft };
      return { run, effects: [{ kind: 'askConfirm', html: outcome.html, confirmLabel: outcome.confirmLabel }] };
    case 'refused':
      return { run, effects: [{ kind: 'replyHtml', html: outcome.html }, { kind: 'showSummary', edit: false }] };
  }
}

function answer(flow: FlowShape, run: FlowRun, draft: OpenDraft, index: number, input: StepInput, env: StepEnv): Transition {
  const parsed = draft.schema(index, env).safeParse(input);
  if (parsed.success) return accept(flow, run, index, parsed.data, env);
  const key = parsed.error.issues[0]?.message;
  const error = key !== undefined && isMessageKey(env.t, key) ? key : 'flows.invalid';
  return { run, effects: show(flow, run, draft, env, { error }) };
}

function accept(flow: FlowShape, run: FlowRun, index: number, value: JsonValue, env: StepEnv): Transition {
  const id = flow.steps[index]?.id;
  if (id === undefined) throw new Error(`flow ${flow.name} has no step ${index}`);
  const pending = pendingKey(id);
  run.draft = { ...Object.fromEntries(Object.entries(run.draft).filter(([k]) => k !== pending)), [id]: value };
  // Read again: the answer may make other steps apply (or not), and must fit the draft's schema.
  const read = readRun(flow, run, env);
  if (!read.ok) return read.dropped;
  const draft = read.draft;
  const effects: Effect[] = [];
  if (draft.keyboard(index, env)?.type === 'contact') {
    // The share-contact button is a reply keyboard: only a message can take it away.
    effects.push(reply('flows.accepted', { vars: { value: draft.shown(index, env) ?? '' }, removeKeyboard: true }));
  }
  run.page = 0;
  if (run.editing) {
    run.editing = false;
    // An edit can make a later step apply (e.g. a price now needs a currency): ask it before the card.
    const missing = flow.steps.find((s, i) => draft.applies(i) && !(s.id in run.draft));
    run.step = missing ? missing.id : SUMMARY;
    if (missing) run.editing = true;
  } else {
    run.trail.push(id);
    run.step = nextStep(flow, draft, index) ?? SUMMARY;
  }
  effects.push(...show(flow, run, draft, env));
  return { run, effects };
}

function back(flow: FlowShape, run: FlowRun, draft: OpenDraft, env: StepEnv): Transition {
  if (run.editing || (run.step === SUMMARY && run.trail.length === 0)) {
    run.editing = false;
    run.step = SUMMARY;
    return { run, effects: show(flow, run, draft, env) };
  }
  const previous = run.trail.pop();
  if (previous === undefined) return { run, effects: [reply('flows.atFirstStep'), ...show(flow, run, draft, env)] };
  run.step = previous;
  run.page = 0;
  return { run, effects: show(flow, run, draft, env, { showPrevious: true }) };
}

/**
 * The effect that shows where the run now is. A multi-select shown for the first time starts from its
 * stored answer: its picks are copied to `<id>~`, where toggles change them until «Selesai».
 */
function show(flow: FlowShape, run: FlowRun, draft: OpenDraft, env: StepEnv, options: ShowOptions = {}): Effect[] {
  if (run.step === SUMMARY) return [{ kind: 'showSummary', edit: options.edit ?? false }];
  const index = flow.steps.findIndex((s) => s.id === run.step);
  const key = pendingKey(run.step);
  if (draft.keyboard(index, env)?.type === 'multi' && !(key in run.draft)) run.draft[key] = [...new Set(picksOf(run.draft[run.step]))];
  return [{ kind: 'showStep', options }];
}

function nextStep(flow: FlowShape, draft: OpenDraft, afterIndex: number): string | undefined {
  return flow.steps.find((s, i) => i > afterIndex && draft.applies(i))?.id;
}

function idle(run: FlowRun, env: StepEnv): boolean {
  return env.now.getTime() - run.touchedAt > FLOW_IDLE_LIMIT_MS;
}

function expire(flow: FlowShape, env: StepEnv, after: Effect[] = []): Transition {
  return { run: null, effects: [{ kind: 'end', reason: 'expired' }, expiredReply(flow, env), ...after] };
}

function expiredReply(flow: FlowShape, env: StepEnv): Effect {
  return reply('flows.expired', { vars: { title: env.t(flow.title) }, removeKeyboard: true });
}

type ReadRun = { ok: true; draft: OpenDraft; index: number } | { ok: false; dropped: Transition };

/**
 * The run's draft through its flow's schema, and where it stands. A run this release cannot read (a draft
 * that fails the schema, a step or trail naming a step that is gone) is dropped with the expired-run
 * message, never a crash; the reason goes to the log.
 */
function readRun(flow: FlowShape, run: FlowRun, env: StepEnv): ReadRun {
  const opened = flow.open(run.draft);
  const index = run.step === SUMMARY ? -1 : flow.steps.findIndex((s) => s.id === run.step);
  const lost = [run.step, ...run.trail].filter((id) => id !== SUMMARY && !flow.steps.some((s) => s.id === id));
  if (opened.ok && lost.length === 0) return { ok: true, draft: opened.draft, index };
  const issues = [...(opened.ok ? [] : opened.issues), ...lost.map((id) => `no step ${id}`)];
  return {
    ok: false,
    dropped: {
      run: null,
      effects: [
        { kind: 'end', reason: 'unreadable' },
        { kind: 'warn', message: 'flow run does not fit its flow; dropped', details: { flow: flow.name, step: run.step, issues } },
        expiredReply(flow, env),
      ],
    },
  };
}

function reply(key: MessageKey, opts: { vars?: MessageVars; removeKeyboard?: boolean; edit?: boolean } = {}): Effect {
  return { kind: 'reply', key, ...opts };
}

/** A schema's issue message is shown only when it is one of our locale keys (not a stray English text). */
function isMessageKey(t: Translate, key: string): key is MessageKey {
  // i18next returns the key itself for a missing key.
  return /^[a-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)+$/.test(key) && t(key as MessageKey) !== key;
}
