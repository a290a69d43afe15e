import { describe, expect, it } from 'vitest';
import { rule } from './kthread-cpu-hog.ts';
import { runRule, sampleInputs, withFile } from './test-helpers.ts';

describe('kthread-cpu-hog (P24)', () => {
  it('stays quiet when kernel threads idle, even on a saturated host', () => {
    expect(runRule(rule, sampleInputs('baseline-busy-host')).findings).toEqual([]);
    expect(runRule(rule, sampleInputs('hot-thread')).findings).toEqual([]);
  });

  it('reports ksoftirqd running hot in both refreshes as a softirq storm', () => {
    const inputs = sampleInputs('baseline-busy-host');
    const top = inputs.find((i) => i.name === 'top-b-n2.txt')!.text;
    // The real ksoftirqd/0 rows of both frames, shown at 75% and R as in a NET_RX storm.
    const hot = top.replace(/^(\s+14 root\s+20\s+0\s+0\s+0\s+0) [SR]\s+\d+\.\d (.*ksoftirqd\/0)$/gm, '$1 R  75.0 $2');
    expect(hot).not.toBe(top);
    const { findings } = runRule(rule, withFile(inputs, 'top-b-n2.txt', hot));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'high', pids: [14], rootCause: 'irq-storm' });
    expect(findings[0].title).toMatch(/ksoftirqd\/0.*softirq storm/);
    expect(findings[0].next.some((n) => n.includes('/proc/softirqs'))).toBe(true);
  });

  it('recognises a kworker by its name in top rows when no ps row marks it as a kernel thread', () => {
    // samples/kthread-cpu-hog without its ps: top prints `kworker/u8:1+loop0` unbracketed, no PPID.
    const { findings } = runRule(rule, sampleInputs('kthread-cpu-hog', (f) => f.startsWith('top')));
    expect(findings.map((f) => f.pids)).toEqual([[1409]]);
    expect(findings[0].title).toMatch(/kworker\/u8:1\+loop0 \(1409\) busy at 50–71% CPU across 3 refreshes/);
  });

  it('does not take a user process with memory for a kernel thread because of its name', () => {
    const inputs = sampleInputs('kthread-cpu-hog', (f) => f.startsWith('top'));
    const top = inputs[0].text;
    // The same rows given memory, as a user program that calls itself `kworker…` would have.
    const user = top.replace(/^( 1409 root\s+20\s+0)\s+0\s+0\s+0 /gm, '$1    6448   5400   1208 ');
    expect(user).not.toBe(top);
    expect(runRule(rule, withFile(inputs, inputs[0].name, user)).findings).toEqual([]);
  });

  it('does not judge one moment of ps', () => {
    expect(runRule(rule, sampleInputs('baseline-quiet-host')).missing).toMatch(/top -H -b -n 3/);
  });
});
