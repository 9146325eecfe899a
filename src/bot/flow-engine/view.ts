import type { InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardMarkup } from 'telegraf/types';
import { escapeHtml } from '../../domain/text.js';
import type { MessageKey, Translate } from '../../locales/index.js';
import { flowStep } from './callbacks.js';
import { pageCount, pendingKey, picksOf, SUMMARY_REF } from './machine.js';
import type { FlowRun, FlowShape, OpenDraft, StepEnv, StepFacts } from './types.js';

/**
 * What a run looks like in the chat: the text and keyboard of a step's question, of the summary card,
 * and of a save's confirmation. Pure: the adapter sends them. Button data is `flowStep`'s
 * `f:<run>:<step>:<action>:<value>`, the format buttons already in users' chats carry.
 */
export interface View<K> {
  text: string;
  keyboard: K;
}

export type StepKeyboardMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup;

function data(run: FlowRun, step: string, action: string, value = ''): string {
  return flowStep.pack({ run: run.runId, step, action, value });
}

/** The question of the run's current step: header with position, prompt, hints, the previous answer. */
export function stepView(flow: FlowShape, run: FlowRun, draft: OpenDraft, env: StepEnv, opts: { error?: MessageKey; showPrevious?: boolean } = {}): View<StepKeyboardMarkup> {
  const { t } = env;
  const index = flow.steps.findIndex((s) => s.id === run.step);
  const step = flow.steps[index];
  if (!step) throw new Error(`flow ${flow.name} has no step ${run.step}`);
  // An offered step opened from the card counts among the steps while it is asked.
  const applicable = flow.steps.filter((s, i) => draft.applies(i) || s.id === step.id);
  const position = applicable.findIndex((s) => s.id === step.id) + 1;
  const lines: string[] = [];
  if (opts.error) lines.push(`⚠️ ${t(opts.error)}`, '');
  lines.push(t('flows.header', { title: t(flow.title), n: position, total: applicable.length }));
  lines.push(t(step.prompt));
  const note = draft.note?.(index, env) ?? null;
  if (note) lines.push(note);
  if (step.optional) lines.push(t('flows.optionalHint'));
  const previous = draft.shown(index, env);
  if ((opts.showPrevious || run.editing) && previous !== null) lines.push('', t('flows.previousAnswer', { value: previous }));
  return { text: lines.join('\n'), keyboard: stepKeyboard(run, step, draft, index, env) };
}

function stepKeyboard(run: FlowRun, step: StepFacts, draft: OpenDraft, index: number, env: StepEnv): StepKeyboardMarkup {
  const { t } = env;
  const ref = String(index);
  const kb = draft.keyboard(index, env);
  const canGoBack = run.trail.length > 0 || run.editing;
  if (kb?.type === 'contact') {
    const rows: ReplyKeyboardMarkup['keyboard'] = [[{ text: kb.label, request_contact: true }]];
    if (canGoBack) rows.push([{ text: t('common.back') }]);
    return { keyboard: rows, resize_keyboard: true, one_time_keyboard: true, is_persistent: false };
  }
  const rows: InlineKeyboardButton[][] = [];
  if (kb?.type === 'choices') {
    const size = kb.pageSize ?? kb.options.length;
    const pages = pageCount(kb);
    const page = Math.min(run.page, pages - 1);
    const visible = kb.options.slice(page * size, page * size + size);
    rows.push(...chunk(visible.map((o) => ({ text: o.label, callback_data: data(run, ref, 'c', o.value) })), kb.columns));
    if (pages > 1) {
      const nav: InlineKeyboardButton[] = [];
      if (page > 0) nav.push({ text: t('flows.prevPage'), callback_data: data(run, ref, 'p', String(page - 1)) });
      nav.push({ text: `${page + 1}/${pages}`, callback_data: data(run, ref, 'p', String(page)) });
      if (page < pages - 1) nav.push({ text: t('flows.nextPage'), callback_data: data(run, ref, 'p', String(page + 1)) });
      rows.push(nav);
    }
  } else if (kb?.type === 'multi') {
    const selected = new Set(picksOf(run.draft[pendingKey(step.id)] ?? run.draft[step.id]));
    rows.push(...chunk(kb.options.map((o) => ({ text: `${selected.has(o.value) ? '✅' : '▫️'} ${o.label}`, callback_data: data(run, ref, 't', o.value) })), kb.columns));
    rows.push([{ text: t('flows.done'), callback_data: data(run, ref, 'd') }]);
  }
  const tail: InlineKeyboardButton[] = [];
  if (canGoBack) tail.push({ text: t('common.back'), callback_data: data(run, ref, 'b') });
  if (step.optional) tail.push({ text: t('flows.skip'), callback_data: data(run, ref, 's') });
  if (tail.length) rows.push(tail);
  return { inline_keyboard: rows };
}

/** The summary card: every applicable answer, the flow's preview, ✏️ per field, save and cancel. */
export function summaryView(flow: FlowShape, run: FlowRun, draft: OpenDraft, env: StepEnv, preview: string | null): View<InlineKeyboardMarkup> {
  const { t } = env;
  const applicable = flow.steps.map((s, i) => ({ s, i })).filter(({ i }) => draft.applies(i));
  const rows = applicable.map(({ s, i }) => `<b>${escapeHtml(t(s.label))}:</b> ${draft.shown(i, env) ?? t('flows.empty')}`);
  const text = [t('flows.summaryTitle', { title: t(flow.title) }), '', ...rows, ...(preview ? ['', preview] : []), '', t('flows.summaryHint')].join('\n');
  const editButtons: InlineKeyboardButton[] = applicable.map(({ s, i }) => ({ text: `✏️ ${t(s.label)}`, callback_data: data(run, SUMMARY_REF, 'e', String(i)) }));
  // Steps offered rather than asked, not answered yet: their button opens them like an edit.
  const offers: InlineKeyboardButton[] = flow.steps.flatMap((s, i) => (s.offer !== undefined && !draft.applies(i) ? [{ text: t(s.offer), callback_data: data(run, SUMMARY_REF, 'e', String(i)) }] : []));
  return {
    text,
    keyboard: {
      inline_keyboard: [
        ...chunk(editButtons, 2),
        ...(offers.length ? [offers] : []),
        [
          { text: t('flows.save'), callback_data: data(run, SUMMARY_REF, 'v') },
          { text: t('flows.cancel'), callback_data: data(run, SUMMARY_REF, 'x') },
        ],
      ],
    },
  };
}

/** A save's question (e.g. a duplicate name): «yes» saves with force, the other goes back. */
export function confirmView(run: FlowRun, question: { html: string; confirmLabel: string }, t: Translate): View<InlineKeyboardMarkup> {
  return {
    text: question.html,
    keyboard: {
      inline_keyboard: [
        [{ text: question.confirmLabel, callback_data: data(run, SUMMARY_REF, 'v', 'force') }],
        [{ text: t('flows.backToSummary'), callback_data: data(run, SUMMARY_REF, 'b') }],
      ],
    },
  };
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
