import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, formatViewState, parseViewState } from './urlState.ts';

describe('view state in the URL', () => {
  it('round-trips a selected process, view, filter and search', () => {
    const v = { ...DEFAULT_VIEW, view: 'tree' as const, pid: 11025, details: true, state: 'D', q: 'fsck', snap: 2, unit: 'threads' as const, focus: true };
    expect(parseViewState(formatViewState(v))).toEqual(v);
  });

  it('writes nothing for the default view so a fresh page has a clean address', () => {
    expect(formatViewState(DEFAULT_VIEW)).toBe('');
  });

  it('ignores hostile or malformed values instead of trusting them', () => {
    const v = parseViewState('?view=<script>&pid=12abc&state=DD&snap=-1&unit=x');
    expect(v).toEqual(DEFAULT_VIEW);
  });

  it('opens the latest snapshot unless the URL names one, and keeps snapshot 0 when it does', () => {
    expect(parseViewState('').snap).toBeNull();
    expect(parseViewState(formatViewState({ ...DEFAULT_VIEW, snap: 0 })).snap).toBe(0);
  });

  it('keeps lower-case t (traced) apart from T (stopped)', () => {
    expect(parseViewState('state=t').state).toBe('t');
    expect(parseViewState('state=T').state).toBe('T');
  });
});
