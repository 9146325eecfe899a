import { describe, expect, it } from 'vitest';
import { liveOutcome, pendingOutcome, publicState } from '../../src/domain/results.js';

describe('versioned results', () => {
  it('the first publication answers everyone, undecided entries as not selected', () => {
    expect(pendingOutcome('shortlisted', null, true)).toBe('shortlisted');
    expect(pendingOutcome('rejected', null, true)).toBe('not_selected');
    expect(pendingOutcome('submitted', null, true)).toBe('not_selected');
    expect(pendingOutcome('withdrawn', null, true)).toBeNull();
  });

  it('afterwards only a changed outcome is sent; a late entrant waits for a decision', () => {
    expect(pendingOutcome('shortlisted', 'shortlisted', false)).toBeNull();
    expect(pendingOutcome('rejected', 'shortlisted', false)).toBe('not_selected');
    expect(pendingOutcome('submitted', 'shortlisted', false)).toBe('not_selected');
    expect(pendingOutcome('submitted', 'not_selected', false)).toBeNull();
    expect(pendingOutcome('submitted', null, false)).toBeNull();
    expect(pendingOutcome('shortlisted', null, false)).toBe('shortlisted');
    expect(pendingOutcome('submitted', 'withdrawn', false)).toBeNull();
    expect(liveOutcome('submitted', 'withdrawn', false)).toBeNull();
  });

  it('public state: a withdrawal at once, everything else only once published', () => {
    expect(publicState('shortlisted', null)).toBe('pending');
    expect(publicState('shortlisted', 'not_selected')).toBe('not_selected');
    expect(publicState('rejected', 'shortlisted')).toBe('shortlisted');
    expect(publicState('withdrawn', 'shortlisted')).toBe('withdrawn');
    expect(publicState('withdrawn', null)).toBe('withdrawn');
  });
});
