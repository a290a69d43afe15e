// P08 on samples/frozen-cgroup (nginx master and workers frozen by the real cgroup-v1 freezer under a
// containerd-shim) and samples/runtime-hang (java and three `runc init` frozen in one container).
import { describe, expect, it } from 'vitest';
import { analyzeSample, findingsOf } from '../test-inputs.ts';

describe('frozen-cgroup', () => {
  it('groups the frozen tasks of one container, including those frozen inside a nanosleep', () => {
    const [f] = findingsOf(analyzeSample('frozen-cgroup'), 'frozen-cgroup');
    expect(f.pids).toEqual([5, 7, 8]);
    expect(f.severity).toBe('medium');
    expect(f.evidence.some((e) => e.pid === 4 && /one container/.test(e.text))).toBe(true);
    expect(f.next.join('\n')).toMatch(/freezer\.state/);
  });

  it('raises it when runc init is frozen: exec into the container hangs', () => {
    const [f] = findingsOf(analyzeSample('runtime-hang'), 'frozen-cgroup');
    expect(f.pids).toEqual([9, 12, 161, 356]);
    expect(f.severity).toBe('high');
    expect(f.title).toBe('java (9) and 3 runc inits frozen by the cgroup freezer — exec into the container hangs on a frozen cgroup');
  });

  it('keeps frozen tasks out of the D cluster and hung-task rules', () => {
    const a = analyzeSample('frozen-cgroup');
    expect(findingsOf(a, 'd-state-cluster')).toEqual([]);
    expect(findingsOf(a, 'hung-task')).toEqual([]);
  });
});
