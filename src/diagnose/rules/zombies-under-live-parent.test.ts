// P11 on samples/zombies-live-parent (backup-agent never reaping its sh children, two moments) and
// the namespace fixture (`sleep 100000` with 3 zombies). Caps at MED; quiet for D parents and PID 1.
import { describe, expect, it } from 'vitest';
import { analyzeSample, findingsOf } from '../test-inputs.ts';
import { rule } from './zombies-under-live-parent.ts';
import { runRule, sampleInputs } from './test-helpers.ts';

describe('zombies-under-live-parent', () => {
  it('groups the zombies under their live parent, with their age', () => {
    const [f] = findingsOf(analyzeSample('zombies-live-parent'), 'zombies-under-live-parent');
    expect(f.pids[0]).toBe(3);
    expect(f.pids).toHaveLength(7);
    expect(f.title).toMatch(/^backup-agent \(3\) never reaps its 6 zombie children \(6× sh\) — oldest \d+s$/);
    expect(f.severity).toBe('medium');
    expect(f.next).toContain('kill -s SIGCHLD 3   # a nudge; many programs ignore it');
  });

  it('says low for three zombies of one parent', () => {
    const [f] = findingsOf(analyzeSample('ps-o-wchan'), 'zombies-under-live-parent');
    expect(f.pids).toEqual([21, 29, 30, 31]);
    expect(f.severity).toBe('low');
  });

  it('says at most low for six zombies seen in one moment with no ages (they may be reaped a moment later)', () => {
    // Only `ps -eLo pid,tid,ppid,stat,wchan,…` of samples/zombies-live-parent: no etimes, no second moment.
    const { findings } = runRule(rule, sampleInputs('zombies-live-parent', (f) => f === 'ps-eLo.txt'));
    expect(findings).toHaveLength(1);
    expect(findings[0].pids).toEqual([3, 5, 7, 8, 11, 12, 13]);
    expect(findings[0].severity).toBe('low');
    expect(findings[0].evidence.some((e) => /persistence not verified/.test(e.text))).toBe(true);
  });

  it('leaves the D parent and the container PID 1 to their own rules', () => {
    const fixture = findingsOf(analyzeSample('ps-o-wchan'), 'zombies-under-live-parent');
    expect(fixture.some((f) => f.pids[0] === 5)).toBe(false);
    expect(findingsOf(analyzeSample('container-init-zombies'), 'zombies-under-live-parent')).toEqual([]);
  });
});
