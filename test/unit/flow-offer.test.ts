import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { translator } from '../../src/locales/index.js';
import { good, textAnswer } from '../../src/bot/flow-engine/answers.js';
import { flowStep } from '../../src/bot/flow-engine/callbacks.js';
import { defineFlow } from '../../src/bot/flow-engine/define.js';
import { react, SUMMARY, type FlowEvent, type Transition } from '../../src/bot/flow-engine/machine.js';
import type { FlowRun, StepEnv } from '../../src/bot/flow-engine/types.js';
import { stepView, summaryView } from '../../src/bot/flow-engine/view.js';

/** A step offered on the summary card (the broadcast's ⏰ Kirim nanti), in the pure machine and view. */
const flow = defineFlow({
  name: 'offerTest',
  title: 'broadcast.title',
  draft: z.object({ msg: z.string().optional(), at: z.string().nullable().optional() }),
  steps: [
    { id: 'msg', prompt: 'broadcast.askMessage', label: 'broadcast.fieldMessage', schema: () => textAnswer((s) => good(s)), display: (v) => v },
    { id: 'at', prompt: 'broadcast.askSendAt', label: 'broadcast.fieldSendAt', offer: 'broadcast.sendLater', optional: true, schema: () => textAnswer((s) => good(s)), display: (v) => `⏰ ${v}` },
  ],
  async save() {
    throw new Error('not used');
  },
});

const t = translator('id');
const env: StepEnv = { lang: 'id', t, now: new Date(Date.UTC(2027, 0, 10, 2)), timeZone: 'Asia/Jakarta' };
const RUN = 'offer1';
const run = (tr: Transition): FlowRun => {
  if (!tr.run) throw new Error('the run ended');
  return tr.run;
};
const text = (s: string): FlowEvent => ({ kind: 'message', message: { kind: 'text', text: s } });
const press = (step: string, action: string, value = ''): FlowEvent => ({ kind: 'press', button: { run: RUN, step, action, value } });
const card = (r: FlowRun) => {
  const opened = flow.open(r.draft);
  if (!opened.ok) throw new Error('draft does not open');
  return summaryView(flow, r, opened.draft, env, null);
};
const buttons = (r: FlowRun) => card(r).keyboard.inline_keyboard.flat().map((b) => ({ text: b.text, data: 'callback_data' in b ? flowStep.match(String(b.callback_data)) : null }));

describe('an offered step', () => {
  it('is not asked in order: after the last asked step comes the card, with the offer beside the edits', () => {
    const start = run(react(flow, null, { kind: 'start', runId: RUN, draft: {}, target: null, atSummary: false }, env));
    expect(start.step).toBe('msg');
    const atCard = run(react(flow, start, text('Halo'), env));
    expect(atCard.step).toBe(SUMMARY);
    expect(card(atCard).text).not.toContain('Waktu kirim');
    expect(buttons(atCard).map((b) => b.text)).toEqual(['✏️ Pesan', '⏰ Kirim nanti', '💾 Simpan', '✖️ Batal']);
    expect(buttons(atCard)[1]?.data).toMatchObject({ step: 'S', action: 'e', value: '1' });
  });

  it('opens from its button, counts among the steps while asked, and is on the card once answered', () => {
    const atCard = run(react(flow, run(react(flow, null, { kind: 'start', runId: RUN, draft: {}, target: null, atSummary: false }, env)), text('Halo'), env));
    const asked = react(flow, atCard, press('S', 'e', '1'), env);
    const r = run(asked);
    expect(r.step).toBe('at');
    const opened = flow.open(r.draft);
    if (!opened.ok) throw new Error('draft does not open');
    expect(stepView(flow, r, opened.draft, env).text).toContain('langkah 2 dari 2');
    const answered = run(react(flow, r, text('besok'), env));
    expect(answered.step).toBe(SUMMARY);
    expect(card(answered).text).toContain('Waktu kirim:</b> ⏰ besok');
    expect(buttons(answered).map((b) => b.text)).toEqual(['✏️ Pesan', '✏️ Waktu kirim', '💾 Simpan', '✖️ Batal']);

    // «Lewati» takes it back: the card offers it again.
    const again = run(react(flow, run(react(flow, answered, press('S', 'e', '1'), env)), text('-'), env));
    expect(again.draft.at).toBeNull();
    expect(buttons(again).map((b) => b.text)).toContain('⏰ Kirim nanti');
    expect(card(again).text).not.toContain('Waktu kirim');
  });

  it('is not opened by an edit press for a step that neither applies nor is offered', () => {
    const gated = defineFlow({
      name: 'gatedTest',
      title: 'broadcast.title',
      draft: z.object({ msg: z.string().optional(), x: z.string().optional() }),
      steps: [
        { id: 'msg', prompt: 'broadcast.askMessage', label: 'broadcast.fieldMessage', schema: () => textAnswer((s) => good(s)), display: (v) => v },
        { id: 'x', prompt: 'broadcast.askSendAt', label: 'broadcast.fieldSendAt', when: () => false, schema: () => textAnswer((s) => good(s)), display: (v) => v },
      ],
      async save() {
        throw new Error('not used');
      },
    });
    const atCard = run(react(gated, run(react(gated, null, { kind: 'start', runId: RUN, draft: {}, target: null, atSummary: false }, env)), text('Halo'), env));
    expect(run(react(gated, atCard, press('S', 'e', '1'), env)).step).toBe(SUMMARY);
  });
});
