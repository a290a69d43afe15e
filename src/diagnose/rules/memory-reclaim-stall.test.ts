// P07. No sample shows tasks stuck in reclaim (a memory cgroup reading page cache reclaimed too
// fast to catch); these tests prove it stays quiet on real captures where memory is high but
// nothing waits in reclaim, and where D tasks wait on other things.
import { describe, expect, it } from 'vitest';
import { analyzeSample, findingsOf } from '../test-inputs.ts';

describe('memory-reclaim-stall', () => {
  it('stays quiet on a memory hog that is not stalled in reclaim', () => {
    expect(findingsOf(analyzeSample('memory-hog'), 'memory-reclaim-stall')).toEqual([]);
  });

  it('stays quiet on D tasks that wait on a mount or a lock', () => {
    expect(findingsOf(analyzeSample('d-cluster-fuse'), 'memory-reclaim-stall')).toEqual([]);
    expect(findingsOf(analyzeSample('lock-convoy'), 'memory-reclaim-stall')).toEqual([]);
  });

  it('is not evaluated without wait channels', () => {
    const a = analyzeSample('baseline-quiet-host');
    expect(a.notEvaluated.find((n) => n.rule === 'memory-reclaim-stall')?.missing).toMatch(/no wchan or kernel stack/);
  });
});
