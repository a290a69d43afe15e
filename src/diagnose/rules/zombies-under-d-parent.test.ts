// P10 on samples/d-parent-zombies (postgres in a vfork D with 12 defunct sh children) and the
// namespace fixture (vfork_dparent 5 with 5 zombies). The cause comes first and the zombies are
// one finding; zombies-under-live-parent stays quiet about them.
import { describe, expect, it } from 'vitest';
import { analyzeFixture, analyzeSample, findingsOf } from '../test-inputs.ts';

describe('zombies-under-d-parent', () => {
  it('makes one finding about the D parent, citing its 12 zombies and its vfork child', () => {
    const a = analyzeSample('d-parent-zombies');
    const fs = findingsOf(a, 'zombies-under-d-parent');
    expect(fs).toHaveLength(1);
    const [f] = fs;
    expect(f.pids).toEqual([3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    expect(f.title).toBe('postgres (3) is stuck in D (kernel_clone, a vfork wait) and cannot reap its 12 zombie children (12× sh)');
    expect(f.severity).toBe('high');
    expect(f.evidence.some((e) => e.pid === 17 && /vfork: the parent waits until its child/.test(e.text))).toBe(true);
    expect(f.next).toContain('cat /proc/3/stack /proc/3/wchan');
    expect(f.next.some((n) => /do not chase the zombies/.test(n))).toBe(true);
    expect(findingsOf(a, 'zombies-under-live-parent')).toEqual([]);
    expect(findingsOf(a, 'zombies-under-container-init')).toEqual([]);
  });

  it('reads the 6-wide wchan of ps alx as the same vfork wait', () => {
    const [f] = findingsOf(analyzeSample('ps-alx'), 'zombies-under-d-parent');
    expect(f.pids).toEqual([5, 7, 10, 12, 13, 14]);
    expect(f.rootCause).toBe('vfork:5');
  });

  it('is not evaluated without parent PIDs (ps aux)', () => {
    const a = analyzeSample('ps-aux');
    expect(a.notEvaluated.find((n) => n.rule === 'zombies-under-d-parent')?.missing).toMatch(/no parent PIDs/);
  });

  it('reports the vfork parent captured twice exactly once', () => {
    expect(findingsOf(analyzeFixture('vfork-two-moments'), 'zombies-under-d-parent').map((f) => f.pids[0])).toEqual([2]);
  });
});
