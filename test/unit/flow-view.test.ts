import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { InlineKeyboardMarkup } from 'telegraf/types';
import { escapeHtml } from '../../src/domain/text.js';
import { translator } from '../../src/locales/index.js';
import { MAX_CALLBACK_BYTES } from '../../src/bot/callback-data.js';
import { answerSchema, bad, good, textAnswer } from '../../src/bot/flow-engine/answers.js';
import { flowStep } from '../../src/bot/flow-engine/callbacks.js';
import { defineFlow } from '../../src/bot/flow-engine/define.js';
import { SUMMARY } from '../../src/bot/flow-engine/machine.js';
import type { FlowRun, OpenDraft, StepEnv, StoredDraft } from '../../src/bot/flow-engine/types.js';
import { confirmView, stepView, summaryView, type StepKeyboardMarkup } from '../../src/bot/flow-engine/view.js';

/** What the user sees of a run: texts, keyboards and button data, as the engine has always sent them. */

const LONG = 'v'.repeat(40);
const KINDS = ['a', 'b', 'c', 'd', 'e'] as const;
const flow = defineFlow({
  name: 'viewTest',
  title: 'register.title',
  draft: z.object({
    name: z.string().optional(),
    kind: z.enum(KINDS).optional(),
    tags: z.array(z.string()).optional(),
    'tags~': z.array(z.string()).optional(),
    extra: z.string().optional(),
    note: z.string().nullable().optional(),
    phone: z.string().optional(),
  }),
  steps: [
    { id: 'name', prompt: 'register.askCompany', label: 'register.fieldCompany', schema: () => textAnswer((t) => good(t)), display: (v) => escapeHtml(v) },
    {
      id: 'kind',
      prompt: 'product.askCategory',
      label: 'product.fieldCategory',
      keyboard: () => ({ type: 'choices', columns: 2, pageSize: 2, options: KINDS.map((k) => ({ value: k, label: k.toUpperCase() })) }),
      schema: () => answerSchema((i) => (i.kind === 'choice' ? good(KINDS.find((k) => k === i.value) ?? 'a') : bad('product.errCategory'))),
      display: (v) => v.toUpperCase(),
    },
    {
      id: 'tags',
      prompt: 'product.askCertifications',
      label: 'product.fieldCertifications',
      keyboard: () => ({ type: 'multi', columns: 2, exclusive: 'none', options: ['x', 'y', 'none', LONG].map((v) => ({ value: v, label: v.slice(0, 4) })) }),
      schema: () => answerSchema(() => good([])),
      display: (v) => v.join(', '),
    },
    { id: 'extra', prompt: 'product.askHs', label: 'product.fieldHs', when: (d) => d.kind === 'e', schema: () => textAnswer((t) => good(t)), display: (v) => v },
    { id: 'note', prompt: 'product.askDescription', label: 'product.fieldDescription', optional: true, schema: () => textAnswer((t) => good(t)), display: (v) => `<i>${escapeHtml(v)}</i>` },
    {
      id: 'phone',
      prompt: 'register.askPhone',
      label: 'register.fieldPhone',
      keyboard: ({ t }) => ({ type: 'contact', label: t('register.shareContact') }),
      schema: () => textAnswer((t) => good(t)),
      display: (v) => escapeHtml(v),
    },
  ],
  async save() {
    throw new Error('not used');
  },
});

const t = translator('en');
const env: StepEnv = { lang: 'en', t, now: new Date(Date.UTC(2025, 10, 1)), timeZone: 'Asia/Jakarta' };
const RUN = 'ab12Cd';

function runAt(step: string, draft: StoredDraft = {}, more: Partial<FlowRun> = {}): FlowRun {
  return { name: 'viewTest', step, draft, trail: [], runId: RUN, editing: false, target: null, page: 0, startedAt: 0, touchedAt: 0, ...more };
}
function open(run: FlowRun): OpenDraft {
  const o = flow.open(run.draft);
  if (!o.ok) throw new Error(o.issues.join('; '));
  return o.draft;
}
const step = (run: FlowRun, opts: Parameters<typeof stepView>[4] = {}) => stepView(flow, run, open(run), env, opts);
const inline = (kb: StepKeyboardMarkup): InlineKeyboardMarkup['inline_keyboard'] => {
  if (!('inline_keyboard' in kb)) throw new Error('not an inline keyboard');
  return kb.inline_keyboard;
};
const buttons = (kb: StepKeyboardMarkup) => inline(kb).map((row) => row.map((b) => [b.text, 'callback_data' in b ? b.callback_data : '']));

describe('a step’s question', () => {
  it('is the header with the position among the steps that apply, then the prompt', () => {
    const v = step(runAt('name'));
    expect(v.text).toBe('<b>Business registration</b> · step 1 of 5\nWhat is the name of your company or business? (2–120 characters)');
    // The first step, not optional: nothing to press.
    expect(v.keyboard).toEqual({ inline_keyboard: [] });
    // A step that now applies counts.
    expect(step(runAt('extra', { kind: 'e' })).text).toMatch(/step 4 of 6/);
  });

  it('puts the refusal above, the optional hint and the previous answer below, and back and skip at the foot', () => {
    const v = step(runAt('note', { note: 'a <b>', kind: 'a' }, { trail: ['name'] }), { error: 'register.errCompany', showPrevious: true });
    expect(v.text).toBe(
      [
        `⚠️ ${t('register.errCompany')}`,
        '',
        '<b>Business registration</b> · step 4 of 5',
        t('product.askDescription'),
        '<i>Optional: press «Skip» or send -</i>',
        '',
        'Previous answer: <b><i>a &lt;b&gt;</i></b>',
      ].join('\n'),
    );
    expect(buttons(v.keyboard)).toEqual([[['⬅️ Back', `f:${RUN}:4:b:`], ['⏭ Skip', `f:${RUN}:4:s:`]]]);
  });

  it('shows the previous answer while editing from the card, not when there is none', () => {
    expect(step(runAt('name', { name: 'Kopi' }, { editing: true })).text).toMatch(/\n\nPrevious answer: <b>Kopi<\/b>$/);
    expect(step(runAt('note', { note: null }, { editing: true })).text).not.toMatch(/Previous answer/);
    expect(step(runAt('name', { name: 'Kopi' })).text).not.toMatch(/Previous answer/);
  });

  it('pages a long choice list, with ◀️ n/N ▶️ under it; a stored page past the end shows the last', () => {
    const page = (p: number) => buttons(step(runAt('kind', {}, { page: p, trail: ['name'] })).keyboard);
    expect(page(0)).toEqual([
      [['A', `f:${RUN}:1:c:a`], ['B', `f:${RUN}:1:c:b`]],
      [['1/3', `f:${RUN}:1:p:0`], ['▶️', `f:${RUN}:1:p:1`]],
      [['⬅️ Back', `f:${RUN}:1:b:`]],
    ]);
    expect(page(1).slice(0, 2)).toEqual([
      [['C', `f:${RUN}:1:c:c`], ['D', `f:${RUN}:1:c:d`]],
      [['◀️', `f:${RUN}:1:p:0`], ['2/3', `f:${RUN}:1:p:1`], ['▶️', `f:${RUN}:1:p:2`]],
    ]);
    expect(page(2).slice(0, 2)).toEqual([[['E', `f:${RUN}:1:c:e`]], [['◀️', `f:${RUN}:1:p:1`], ['3/3', `f:${RUN}:1:p:2`]]]);
    expect(page(9)).toEqual(page(2));
  });

  it('marks a multi-select’s picks (pending ones over the stored answer) and ends it with Done', () => {
    const rows = (draft: StoredDraft) => buttons(step(runAt('tags', draft)).keyboard);
    expect(rows({ tags: ['x'], 'tags~': ['y'] })).toEqual([
      [['▫️ x', `f:${RUN}:2:t:x`], ['✅ y', `f:${RUN}:2:t:y`]],
      [['▫️ none', `f:${RUN}:2:t:none`], [`▫️ vvvv`, `f:${RUN}:2:t:${LONG}`]],
      [['✔️ Done', `f:${RUN}:2:d:`]],
    ]);
    expect(rows({ tags: ['x'] })[0]).toEqual([['✅ x', `f:${RUN}:2:t:x`], ['▫️ y', `f:${RUN}:2:t:y`]]);
  });

  it('asks for a contact with a reply keyboard, with a back row once there is somewhere to go back to', () => {
    expect(step(runAt('phone')).keyboard).toEqual({
      keyboard: [[{ text: t('register.shareContact'), request_contact: true }]],
      resize_keyboard: true,
      one_time_keyboard: true,
      is_persistent: false,
    });
    expect(step(runAt('phone', {}, { trail: ['note'] })).keyboard).toMatchObject({ keyboard: [[{ text: t('register.shareContact'), request_contact: true }], [{ text: '⬅️ Back' }]] });
  });
});

describe('the summary card', () => {
  const card = runAt(SUMMARY, { name: 'Kopi & Co', kind: 'b', tags: ['x'], note: null });

  it('lists every step that applies, — for an empty one, then the preview and the hint', () => {
    const v = summaryView(flow, card, open(card), env, '<i>Stock: 10 → 20</i>');
    expect(v.text).toBe(
      [
        '<b>Summary: Business registration</b>',
        '',
        '<b>Business name:</b> Kopi &amp; Co',
        `<b>${t('product.fieldCategory')}:</b> B`,
        `<b>${t('product.fieldCertifications')}:</b> x`,
        `<b>${t('product.fieldDescription')}:</b> —`,
        `<b>${t('register.fieldPhone')}:</b> —`,
        '',
        '<i>Stock: 10 → 20</i>',
        '',
        'Please check. Press ✏️ to change one answer, or 💾 Save.',
      ].join('\n'),
    );
    expect(summaryView(flow, card, open(card), env, null).text).not.toMatch(/Stock/);
  });

  it('has ✏️ per field (two a row, by step index), then save and cancel', () => {
    const v = summaryView(flow, card, open(card), env, null);
    expect(buttons(v.keyboard)).toEqual([
      [['✏️ Business name', `f:${RUN}:S:e:0`], [`✏️ ${t('product.fieldCategory')}`, `f:${RUN}:S:e:1`]],
      [[`✏️ ${t('product.fieldCertifications')}`, `f:${RUN}:S:e:2`], [`✏️ ${t('product.fieldDescription')}`, `f:${RUN}:S:e:4`]],
      [[`✏️ ${t('register.fieldPhone')}`, `f:${RUN}:S:e:5`]],
      [['💾 Save', `f:${RUN}:S:v:`], ['✖️ Cancel', `f:${RUN}:S:x:`]],
    ]);
  });
});

describe('a save’s confirmation', () => {
  it('saves with force, or goes back', () => {
    expect(confirmView(runAt(SUMMARY), { html: '<b>Same name?</b>', confirmLabel: 'Save anyway' }, t)).toEqual({
      text: '<b>Same name?</b>',
      keyboard: {
        inline_keyboard: [[{ text: 'Save anyway', callback_data: `f:${RUN}:S:v:force` }], [{ text: '⬅️ Back to the summary', callback_data: `f:${RUN}:S:b:` }]],
      },
    });
  });
});

describe('button data', () => {
  it('fits Telegram’s 64 bytes with the longest run id and option value, and reads back as a flow button', () => {
    const longRun = 'R'.repeat(8);
    const runs = [
      runAt('kind', {}, { runId: longRun, trail: ['name'], page: 1 }),
      runAt('tags', { 'tags~': [LONG] }, { runId: longRun, editing: true }),
      runAt('note', {}, { runId: longRun, trail: ['name'] }),
    ];
    const all = [
      ...runs.flatMap((r) => inline(step(r).keyboard).flat()),
      ...inline(summaryView(flow, runAt(SUMMARY, {}, { runId: longRun }), open(runAt(SUMMARY)), env, null).keyboard).flat(),
      ...inline(confirmView(runAt(SUMMARY, {}, { runId: longRun }), { html: '', confirmLabel: 'ok' }, t).keyboard).flat(),
    ].map((b) => ('callback_data' in b ? b.callback_data : ''));
    expect(all.length).toBeGreaterThan(15);
    expect(all).toContain(`f:${longRun}:2:t:${LONG}`);
    for (const data of all) {
      expect(Buffer.byteLength(data, 'utf8')).toBeLessThanOrEqual(MAX_CALLBACK_BYTES);
      expect(flowStep.match(data)?.run).toBe(longRun);
    }
  });
});
