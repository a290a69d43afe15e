// P12 on a real `Zl` leader: __fixtures__/defunct-leader-and-probes, a C program whose main thread
// called pthread_exit while its `worker` thread sleeps (`2 1 Zl - … [defunct] <defunct>`).
import { describe, expect, it } from 'vitest';
import { analyzeFixture, analyzeSample, findingsOf } from '../test-inputs.ts';

describe('defunct-leader-live-threads', () => {
  it('reports the Zl leader with its live thread, not as a zombie', () => {
    const a = analyzeFixture('defunct-leader-and-probes');
    const [f] = findingsOf(a, 'defunct-leader-live-threads');
    expect(f.pids).toEqual([2]);
    expect(f.title).toBe('defunct (2) is defunct but 1 thread still live — the process is not gone');
    expect(f.evidence[0]).toMatchObject({ input: 'ps-aux.txt', line: 3 });
    expect(f.evidence.some((e) => /live thread worker \(2, thread 3\) Sl, wchan hrtimer_nanosleep/.test(e.text))).toBe(true);
    expect(f.next).toContain('ps -L -o pid,tid,stat,wchan:32,comm -p 2');
    // Its parent (PID 1 of the namespace) is not asked to reap it.
    expect(findingsOf(a, 'zombies-under-live-parent')).toEqual([]);
    expect(findingsOf(a, 'zombies-under-container-init')).toEqual([]);
  });

  it('stays quiet on plain zombies', () => {
    expect(findingsOf(analyzeSample('ps-o-wchan'), 'defunct-leader-live-threads')).toEqual([]);
    expect(findingsOf(analyzeSample('container-init-zombies'), 'defunct-leader-live-threads')).toEqual([]);
  });
});
