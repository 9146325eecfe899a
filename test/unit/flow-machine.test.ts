import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { translator } from '../../src/locales/index.js';
import { answerSchema, bad, good, textAnswer } from '../../src/bot/flow-engine/answers.js';
import { defineFlow } from '../../src/bot/flow-engine/define.js';
import { FLOW_IDLE_LIMIT_MS, react, STALE_PRESS, SUMMARY, type Effect, type FlowButton, type FlowEvent, type IncomingMessage, type Transition } from '../../src/bot/flow-engine/machine.js';
import type { FlowRun, StepEnv, StepInput, StoredDraft } from '../../src/bot/flow-engine/types.js';

/**
 * The machine alone: a small flow defined here, events in, the run and the effects out. No Telegram,
 * no session store, no database.
 */

const KINDS = ['a', 'b', 'c', 'd', 'e'] as const;
const testDraft = z.object({
  name: z.string().optional(),
  kind: z.enum(KINDS).optional(),
  tags: z.array(z.string()).optional(),
  'tags~': z.array(z.string()).optional(),
  extra: z.string().optional(),
  note: z.string().nullable().optional(),
  pic: z.string().nullable().optional(),
  phone: z.string().optional(),
  $ctx: z.string().optional(),
});

/** A step whose schema says something that is not a locale key: the user must see `flows.invalid`. */
const strayMessage = z.custom<StepInput>().transform((input, ctx): string => {
  if (input.kind === 'text' && input.text !== 'stray') return input.text;
  ctx.addIssue({ code: 'custom', message: 'Not one of our keys' });
  return z.NEVER;
});

const flow = defineFlow({
  name: 'machineTest',
  title: 'register.title',
  draft: testDraft,
  steps: [
    {
      id: 'name',
      prompt: 'register.askCompany',
      label: 'register.fieldCompany',
      // Sees the text as given: with entities untrimmed, otherwise trimmed.
      schema: () => textAnswer((t) => (t.trim().length >= 2 ? good(t) : bad('register.errCompany'))),
      display: (v) => v,
    },
    {
      id: 'kind',
      prompt: 'product.askCategory',
      label: 'product.fieldCategory',
      keyboard: () => ({ type: 'choices', columns: 2, pageSize: 2, options: KINDS.map((k) => ({ value: k, label: k.toUpperCase() })) }),
      schema: () =>
        answerSchema((i) => {
          const k = i.kind === 'choice' || i.kind === 'text' ? KINDS.find((x) => x === (i.kind === 'choice' ? i.value : i.text)) : undefined;
          return k ? good(k) : bad('product.errCategory');
        }),
      display: (v) => v.toUpperCase(),
    },
    {
      id: 'tags',
      prompt: 'product.askCertifications',
      label: 'product.fieldCertifications',
      keyboard: () => ({ type: 'multi', columns: 2, exclusive: 'none', options: ['x', 'y', 'none'].map((v) => ({ value: v, label: v })) }),
      schema: () =>
        answerSchema((i) => {
          if (i.kind !== 'choice') return bad('product.errCertifications');
          const picked: unknown = JSON.parse(i.value);
          if (!Array.isArray(picked) || picked.length === 0) return bad('product.errCertifications');
          return good(picked.filter((p): p is string => typeof p === 'string' && p !== 'none'));
        }),
      display: (v) => (v.length ? v.join(', ') : 'none'),
    },
    {
      id: 'extra',
      prompt: 'product.askHs',
      label: 'product.fieldHs',
      when: (d) => d.kind === 'e',
      schema: () => strayMessage,
      display: (v) => v,
    },
    {
      id: 'note',
      prompt: 'product.askDescription',
      label: 'product.fieldDescription',
      optional: true,
      schema: () => textAnswer((t) => good(t)),
      display: (v) => v,
    },
    {
      id: 'pic',
      prompt: 'product.askPhoto',
      label: 'product.fieldPhoto',
      optional: true,
      photo: true,
      schema: () => answerSchema((i) => (i.kind === 'photo' ? good(i.fileId) : bad('product.errPhoto'))),
      display: () => 'photo',
    },
    {
      id: 'phone',
      prompt: 'register.askPhone',
      label: 'register.fieldPhone',
      keyboard: ({ t }) => ({ type: 'contact', label: t('register.shareContact') }),
      schema: () =>
        answerSchema((i) => {
          if (i.kind === 'contact') return i.own ? good(i.phone) : bad('register.errContactNotOwn');
          return i.kind === 'text' ? good(i.text) : bad('register.errPhone');
        }),
      display: (v) => `☎ ${v}`,
    },
  ],
  async save() {
    throw new Error('the machine never saves: it asks for a save as an effect');
  },
});

const T0 = Date.UTC(2025, 10, 1, 3, 0, 0);
const t = translator('en');
const envAt = (ms: number): StepEnv => ({ lang: 'en', t, now: new Date(ms), timeZone: 'Asia/Jakarta' });
const env = envAt(T0 + 1000);
const RUN = 'run1ab';

function started(draft: StoredDraft = {}, opts: { atSummary?: boolean; target?: string | null } = {}): FlowRun {
  const tr = react(flow, null, { kind: 'start', runId: RUN, draft, target: opts.target ?? null, atSummary: opts.atSummary ?? false }, envAt(T0));
  if (!tr.run) throw new Error('the run did not start');
  return tr.run;
}

const text = (s: string, entities?: unknown[]): FlowEvent => ({ kind: 'message', message: { kind: 'text', text: s, ...(entities ? { entities } : {}) } });
const message = (m: IncomingMessage): FlowEvent => ({ kind: 'message', message: m });
const press = (step: string, action: string, value = '', run = RUN): FlowEvent => ({ kind: 'press', button: { run, step, action, value } satisfies FlowButton });
const at = (run: FlowRun, step: string, draft: StoredDraft = run.draft, more: Partial<FlowRun> = {}): FlowRun => ({ ...run, step, draft, ...more });
const kinds = (tr: Transition) => tr.effects.map((e) => e.kind);
const ANSWERED: Effect = { kind: 'answerCallback' };
const mustRun = (tr: Transition): FlowRun => {
  if (!tr.run) throw new Error('the run ended');
  return tr.run;
};
/** Answers the steps in order, by message or button, as a user would. */
function walk(run: FlowRun, events: FlowEvent[]): FlowRun {
  return events.reduce((r, e) => mustRun(react(flow, r, e, env)), run);
}

describe('the machine module', () => {
  it('imports only types: no telegraf, database, Redis or session store', () => {
    const source = readFileSync(new URL('../../src/bot/flow-engine/machine.ts', import.meta.url), 'utf8');
    const imports = ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
    expect(imports.sort()).toEqual(['../../locales/index.js', '../session/schema.js', './types.js']);
    // …and every one of them as `import type`, so nothing of theirs runs.
    expect(source.match(/^import (?!type ).*$/gm)).toBeNull();
  });
});

describe('start', () => {
  it('opens at the first applicable step with a fresh run', () => {
    const tr = react(flow, null, { kind: 'start', runId: RUN, draft: { $ctx: 'from the handler' }, target: '42', atSummary: false }, envAt(T0));
    expect(tr.run).toEqual({
      name: 'machineTest',
      step: 'name',
      draft: { $ctx: 'from the handler' },
      trail: [],
      runId: RUN,
      editing: false,
      target: '42',
      page: 0,
      startedAt: T0,
      touchedAt: T0,
    });
    expect(tr.effects).toEqual([{ kind: 'showStep', options: {} }]);
  });

  it('opens at the summary card when asked (changing a saved record)', () => {
    const tr = react(flow, null, { kind: 'start', runId: RUN, draft: { name: 'Kopi', kind: 'a' }, target: null, atSummary: true }, envAt(T0));
    expect(tr.run?.step).toBe(SUMMARY);
    expect(tr.effects).toEqual([{ kind: 'showSummary', edit: false }]);
  });

  it('drops a start whose draft does not fit the schema, politely', () => {
    const tr = react(flow, null, { kind: 'start', runId: RUN, draft: { kind: 'zzz' }, target: null, atSummary: false }, envAt(T0));
    expect(tr.run).toBeNull();
    expect(kinds(tr)).toEqual(['end', 'warn', 'reply']);
  });

  it('never changes the run it is given', () => {
    const run = started();
    const before = structuredClone(run);
    react(flow, run, text('Kopi Nusantara'), env);
    react(flow, run, press('0', 'x'), env);
    expect(run).toEqual(before);
  });
});

describe('a message answer', () => {
  it('stores the parsed value, moves on and remembers the step for ⬅️', () => {
    const tr = react(flow, started(), text('  Kopi Nusantara  '), env);
    expect(tr.run).toMatchObject({ step: 'kind', trail: ['name'], draft: { name: 'Kopi Nusantara' }, touchedAt: T0 + 1000 });
    expect(tr.effects).toEqual([{ kind: 'showStep', options: {} }]);
  });

  it('keeps formatted text exactly as sent (entity offsets point into it)', () => {
    const tr = react(flow, started(), text('  Kopi  ', [{ type: 'bold', offset: 2, length: 4 }]), env);
    expect(tr.run?.draft.name).toBe('  Kopi  ');
  });

  it('re-asks with the schema’s locale key, or flows.invalid for a message that is not one', () => {
    const tr = react(flow, started(), text('K'), env);
    expect(tr.run?.step).toBe('name');
    expect(tr.effects).toEqual([{ kind: 'showStep', options: { error: 'register.errCompany' } }]);
    const atExtra = at(started(), 'extra', { name: 'Kopi', kind: 'e', tags: [] });
    expect(react(flow, atExtra, text('stray'), env).effects).toEqual([{ kind: 'showStep', options: { error: 'flows.invalid' } }]);
  });

  it('takes a contact on a contact step and takes the reply keyboard away first', () => {
    const run = at(started(), 'phone', { name: 'Kopi', kind: 'a', tags: [], note: null, pic: null });
    const tr = react(flow, run, message({ kind: 'contact', phone: '+628123', own: true }), env);
    expect(tr.run).toMatchObject({ step: SUMMARY, draft: { phone: '+628123' } });
    expect(tr.effects).toEqual([
      { kind: 'reply', key: 'flows.accepted', vars: { value: '☎ +628123' }, removeKeyboard: true },
      { kind: 'showSummary', edit: false },
    ]);
    expect(react(flow, run, message({ kind: 'contact', phone: '+628123', own: false }), env).effects).toEqual([{ kind: 'showStep', options: { error: 'register.errContactNotOwn' } }]);
  });

  it('takes a photo only where the step takes photos', () => {
    const atPic = at(started(), 'pic', { name: 'Kopi', kind: 'a', tags: [], note: null });
    expect(mustRun(react(flow, atPic, message({ kind: 'photo', fileId: 'AgAD' }), env)).draft.pic).toBe('AgAD');
    const tr = react(flow, started(), message({ kind: 'photo', fileId: 'AgAD' }), env);
    expect(tr.effects).toEqual([{ kind: 'reply', key: 'flows.unsupportedInput' }, { kind: 'showStep', options: {} }]);
  });

  it('answers a message no step takes (a sticker) and asks again', () => {
    const tr = react(flow, started(), message({ kind: 'other' }), env);
    expect(tr.run?.step).toBe('name');
    expect(tr.effects).toEqual([{ kind: 'reply', key: 'flows.unsupportedInput' }, { kind: 'showStep', options: {} }]);
  });

  it('at the summary card, points at its buttons', () => {
    const tr = react(flow, started({ name: 'Kopi' }, { atSummary: true }), text('hello'), env);
    expect(tr.run?.step).toBe(SUMMARY);
    expect(tr.effects).toEqual([{ kind: 'reply', key: 'flows.useSummaryButtons' }, { kind: 'showSummary', edit: false }]);
  });
});

describe('back words', () => {
  it('at the first step, says so and asks again', () => {
    const tr = react(flow, started(), text('⬅️ Kembali'), env);
    expect(tr.run?.step).toBe('name');
    expect(tr.effects).toEqual([{ kind: 'reply', key: 'flows.atFirstStep' }, { kind: 'showStep', options: {} }]);
  });

  it('goes back exactly one step and shows the answer given there', () => {
    const run = walk(started(), [text('Kopi'), press('1', 'c', 'a')]);
    expect(run).toMatchObject({ step: 'tags', trail: ['name', 'kind'] });
    for (const word of ['back', 'kembali', '<', '⬅️']) {
      const tr = react(flow, run, text(word), env);
      expect(tr.run).toMatchObject({ step: 'kind', trail: ['name'], page: 0 });
      expect(tr.effects).toEqual([{ kind: 'showStep', options: { showPrevious: true } }]);
    }
  });

  it('while editing a field, or at a card opened directly, returns to the card', () => {
    const card = started({ name: 'Kopi', kind: 'a', tags: [] }, { atSummary: true });
    const editing = mustRun(react(flow, card, press('S', 'e', '0'), env));
    expect(editing).toMatchObject({ step: 'name', editing: true });
    const tr = react(flow, editing, text('back'), env);
    expect(tr.run).toMatchObject({ step: SUMMARY, editing: false });
    expect(tr.effects).toEqual([{ kind: 'showSummary', edit: false }]);
    expect(react(flow, card, text('back'), env).effects).toEqual([{ kind: 'showSummary', edit: false }]);
  });
});

describe('skip words and the skip button', () => {
  const atNote = () => at(started(), 'note', { name: 'Kopi', kind: 'a', tags: [] }, { trail: ['name', 'kind', 'tags'] });

  it('store null on an optional step and move on', () => {
    for (const word of ['-', 'lewati', 'skip', 'Tidak ada', 'none']) {
      const tr = react(flow, atNote(), text(word), env);
      expect(tr.run).toMatchObject({ step: 'pic', draft: { note: null } });
    }
    const tr = react(flow, atNote(), press('4', 's'), env);
    expect(tr.run).toMatchObject({ step: 'pic', draft: { note: null } });
    expect(tr.effects).toEqual([ANSWERED, { kind: 'showStep', options: {} }]);
  });

  it('are an ordinary answer on a required step, and the button does nothing there', () => {
    expect(react(flow, started(), text('-'), env).effects).toEqual([{ kind: 'showStep', options: { error: 'register.errCompany' } }]);
    const tr = react(flow, started(), press('0', 's'), env);
    expect(tr.run?.step).toBe('name');
    expect(tr.effects).toEqual([ANSWERED]);
  });
});

describe('buttons', () => {
  const atKind = () => walk(started(), [text('Kopi')]);
  const atTags = () => walk(started(), [text('Kopi'), press('1', 'c', 'b')]);

  it('c: a choice is an answer through the schema', () => {
    const tr = react(flow, atKind(), press('1', 'c', 'b'), env);
    expect(tr.run).toMatchObject({ step: 'tags', draft: { kind: 'b' } });
    expect(tr.effects[0]).toEqual(ANSWERED);
    expect(react(flow, atKind(), press('1', 'c', 'zz'), env).effects).toEqual([ANSWERED, { kind: 'showStep', options: { error: 'product.errCategory' } }]);
  });

  it('p: pages stay within the pages there are; the keyboard alone is edited', () => {
    const tr = react(flow, atKind(), press('1', 'p', '1'), env);
    expect(tr.run?.page).toBe(1);
    expect(tr.effects).toEqual([ANSWERED, { kind: 'showStep', options: { edit: true, keyboardOnly: true } }]);
    expect(react(flow, atKind(), press('1', 'p', '2'), env).run?.page).toBe(2);
    for (const [value, page] of [['3', 2], ['99999999999999999999', 0], ['1e400', 0], ['-1', 0], ['x', 0], ['', 0]] as const) {
      expect(react(flow, atKind(), press('1', 'p', value), env).run?.page).toBe(page);
    }
  });

  it('t and d: toggles are pending under `<id>~` until done; the exclusive option rules out the others', () => {
    let run = atTags();
    // Shown for the first time: the picks start from the stored answer (none yet).
    expect(run.draft['tags~']).toEqual([]);
    run = mustRun(react(flow, run, press('2', 't', 'x'), env));
    run = mustRun(react(flow, run, press('2', 't', 'y'), env));
    expect(run.draft['tags~']).toEqual(['x', 'y']);
    run = mustRun(react(flow, run, press('2', 't', 'y'), env));
    expect(run.draft['tags~']).toEqual(['x']);
    const none = mustRun(react(flow, run, press('2', 't', 'none'), env));
    expect(none.draft['tags~']).toEqual(['none']);
    expect(mustRun(react(flow, none, press('2', 't', 'x'), env)).draft['tags~']).toEqual(['x']);
    const toggled = react(flow, run, press('2', 't', 'x'), env);
    expect(toggled.effects).toEqual([ANSWERED, { kind: 'showStep', options: { edit: true, keyboardOnly: true } }]);
    // An option the keyboard does not have changes nothing.
    expect(react(flow, run, press('2', 't', 'q'), env)).toEqual({ run: { ...run, touchedAt: env.now.getTime() }, effects: [ANSWERED] });
    const done = react(flow, run, press('2', 'd'), env);
    expect(done.run).toMatchObject({ step: 'note', draft: { tags: ['x'] } });
    expect(done.run && 'tags~' in done.run.draft).toBe(false);
  });

  it('d with nothing picked is refused by the step', () => {
    expect(react(flow, atTags(), press('2', 'd'), env).effects).toEqual([ANSWERED, { kind: 'showStep', options: { error: 'product.errCertifications' } }]);
  });

  it('b: one step back; x: cancelled, nothing kept', () => {
    const back = react(flow, atKind(), press('1', 'b'), env);
    expect(back.run).toMatchObject({ step: 'name', trail: [] });
    expect(back.effects).toEqual([ANSWERED, { kind: 'showStep', options: { showPrevious: true } }]);
    const cancelled = react(flow, atKind(), press('1', 'x'), env);
    expect(cancelled).toEqual({ run: null, effects: [ANSWERED, { kind: 'end', reason: 'cancelled' }, { kind: 'reply', key: 'common.cancelled', edit: true }] });
  });

  it('e: edits one field from the card and comes back to it', () => {
    const card = started({ name: 'Kopi', kind: 'a', tags: ['x'], note: null, pic: null, phone: '+62' }, { atSummary: true });
    const editing = react(flow, card, press('S', 'e', '0'), env);
    expect(editing.run).toMatchObject({ step: 'name', editing: true, page: 0 });
    expect(editing.effects).toEqual([ANSWERED, { kind: 'showStep', options: { edit: true } }]);
    const edited = react(flow, mustRun(editing), text('Teh Nusantara'), env);
    expect(edited.run).toMatchObject({ step: SUMMARY, editing: false, trail: [], draft: { name: 'Teh Nusantara' } });
    expect(edited.effects).toEqual([{ kind: 'showSummary', edit: false }]);
  });

  it('e: an edit that makes a later step apply asks it before the card', () => {
    const card = started({ name: 'Kopi', kind: 'a', tags: ['x'], note: null, pic: null, phone: '+62' }, { atSummary: true });
    const editing = mustRun(react(flow, card, press('S', 'e', '1'), env));
    const tr = react(flow, editing, press('1', 'c', 'e'), env);
    expect(tr.run).toMatchObject({ step: 'extra', editing: true, draft: { kind: 'e' } });
    const done = react(flow, mustRun(tr), text('more'), env);
    expect(done.run).toMatchObject({ step: SUMMARY, editing: false, draft: { extra: 'more' } });
  });

  it('e: a multi-select opened from the card starts from its stored answer', () => {
    const card = started({ name: 'Kopi', kind: 'a', tags: ['x', 'y'] }, { atSummary: true });
    expect(mustRun(react(flow, card, press('S', 'e', '2'), env)).draft['tags~']).toEqual(['x', 'y']);
  });

  it('e: a step that does not apply, or is not there, changes nothing', () => {
    const card = started({ name: 'Kopi', kind: 'a' }, { atSummary: true });
    for (const value of ['3', '7', 'x']) expect(react(flow, card, press('S', 'e', value), env).effects).toEqual([ANSWERED]);
  });

  it('v and v:force ask for a save', () => {
    const card = started({ name: 'Kopi' }, { atSummary: true });
    expect(react(flow, card, press('S', 'v'), env).effects).toEqual([ANSWERED, { kind: 'save', force: false }]);
    expect(react(flow, card, press('S', 'v', 'force'), env).effects).toEqual([ANSWERED, { kind: 'save', force: true }]);
  });
});

describe('stale and foreign buttons', () => {
  it('a press from another run, another step, or data that does not decode changes nothing', () => {
    const run = walk(started(), [text('Kopi')]);
    for (const event of [press('1', 'c', 'a', 'older1'), press('0', 'c', 'a'), press('S', 'v'), press('-1', 'c', 'a'), { kind: 'press', button: undefined } satisfies FlowEvent]) {
      expect(react(flow, run, event, envAt(T0 + 5000))).toEqual({ run, effects: [STALE_PRESS] });
    }
    const card = started({ name: 'Kopi' }, { atSummary: true });
    expect(react(flow, card, press('0', 'b'), env).effects).toEqual([STALE_PRESS]);
  });

  it('a press with no run is stale; a message with no run is nothing', () => {
    expect(react(flow, null, press('0', 'c', 'a'), env)).toEqual({ run: null, effects: [STALE_PRESS] });
    expect(react(flow, null, text('hi'), env)).toEqual({ run: null, effects: [] });
  });
});

describe('idle expiry', () => {
  const expired: Effect[] = [
    { kind: 'end', reason: 'expired' },
    { kind: 'reply', key: 'flows.expired', vars: { title: t('register.title') }, removeKeyboard: true },
  ];

  it('ends a run idle for more than 24 hours on its next message, saying so', () => {
    const run = started();
    expect(react(flow, run, text('Kopi'), envAt(T0 + FLOW_IDLE_LIMIT_MS + 1))).toEqual({ run: null, effects: expired });
    expect(react(flow, run, text('Kopi'), envAt(T0 + FLOW_IDLE_LIMIT_MS)).run?.step).toBe('kind');
  });

  it('on a press, also answers the button (after the message)', () => {
    const run = started({ name: 'Kopi' }, { atSummary: true });
    expect(react(flow, run, press('S', 'v'), envAt(T0 + FLOW_IDLE_LIMIT_MS + 1))).toEqual({ run: null, effects: [...expired, ANSWERED] });
  });

  it('counts from the last answer, not from the start', () => {
    const run = mustRun(react(flow, started(), text('Kopi'), envAt(T0 + FLOW_IDLE_LIMIT_MS)));
    expect(react(flow, run, press('1', 'c', 'a'), envAt(T0 + 2 * FLOW_IDLE_LIMIT_MS - 1)).run?.step).toBe('tags');
  });
});

describe('a run this release cannot read', () => {
  it('is dropped with the expired-run message and a warning, never a crash', () => {
    const run = at(started(), 'name', { name: 42 });
    const tr = react(flow, run, text('Kopi'), env);
    expect(tr.run).toBeNull();
    expect(tr.effects).toEqual([
      { kind: 'end', reason: 'unreadable' },
      { kind: 'warn', message: 'flow run does not fit its flow; dropped', details: { flow: 'machineTest', step: 'name', issues: ['name: Invalid input: expected string, received number'] } },
      { kind: 'reply', key: 'flows.expired', vars: { title: t('register.title') }, removeKeyboard: true },
    ]);
    const pressed = react(flow, run, press('0', 'c', 'a'), env);
    expect(pressed.run).toBeNull();
    expect(kinds(pressed)).toEqual(['answerCallback', 'end', 'warn', 'reply']);
  });

  it('includes a run at, or back to, a step the flow no longer has', () => {
    expect(kinds(react(flow, at(started(), 'gone'), text('x'), env))).toEqual(['end', 'warn', 'reply']);
    expect(kinds(react(flow, at(started(), 'kind', {}, { trail: ['gone'] }), text('back'), env))).toEqual(['end', 'warn', 'reply']);
  });
});

describe('the save outcome', () => {
  const card = () => started({ name: 'Kopi', kind: 'a' }, { atSummary: true });

  it('saved: the run ends with the save’s text', () => {
    expect(react(flow, card(), { kind: 'saveOutcome', outcome: { kind: 'saved', html: '<b>Saved</b>' } }, env)).toEqual({
      run: null,
      effects: [{ kind: 'end', reason: 'saved' }, { kind: 'replyHtml', html: '<b>Saved</b>' }],
    });
  });

  it('confirm: asks, and keeps what the question was about in the draft', () => {
    const tr = react(flow, card(), { kind: 'saveOutcome', outcome: { kind: 'confirm', html: 'Sure?', confirmLabel: 'Yes', draft: { name: 'Kopi', $ctx: 'asked' } } }, env);
    expect(tr.run).toMatchObject({ step: SUMMARY, draft: { name: 'Kopi', kind: 'a', $ctx: 'asked' } });
    expect(tr.effects).toEqual([{ kind: 'askConfirm', html: 'Sure?', confirmLabel: 'Yes' }]);
    expect(react(flow, card(), { kind: 'saveOutcome', outcome: { kind: 'confirm', html: 'Sure?', confirmLabel: 'Yes' } }, env).run?.draft).toEqual({ name: 'Kopi', kind: 'a' });
  });

  it('refused: says why and shows the card again', () => {
    const tr = react(flow, card(), { kind: 'saveOutcome', outcome: { kind: 'refused', html: 'No.' } }, env);
    expect(tr.run).toEqual(card());
    expect(tr.effects).toEqual([{ kind: 'replyHtml', html: 'No.' }, { kind: 'showSummary', edit: false }]);
  });

  it('threw: nothing was committed; the draft and the card stay for another try', () => {
    const tr = react(flow, card(), { kind: 'saveThrew' }, env);
    expect(tr.run).toEqual(card());
    expect(tr.effects).toEqual([{ kind: 'reply', key: 'flows.saveFailed' }, { kind: 'showSummary', edit: false }]);
  });
});

describe('a whole run', () => {
  it('walks every step to the card, skipping the one that does not apply', () => {
    const run = walk(started(), [
      text('Kopi'),
      press('1', 'p', '1'),
      press('1', 'c', 'c'),
      press('2', 't', 'none'),
      press('2', 'd'),
      text('skip'),
      press('5', 's'),
      message({ kind: 'contact', phone: '+62811', own: true }),
    ]);
    expect(run).toMatchObject({ step: SUMMARY, trail: ['name', 'kind', 'tags', 'note', 'pic', 'phone'], draft: { name: 'Kopi', kind: 'c', tags: [], note: null, pic: null, phone: '+62811' } });
    expect('extra' in run.draft).toBe(false);
  });
});
