import { describe, expect, it } from 'vitest';
import { rule } from './runaway-thread.ts';
import { runRule, sampleInputs, withFile } from './test-helpers.ts';

describe('runaway-thread (P23)', () => {
  it('finds the spinning TID across top -H refreshes, not the leader that only carries the total', () => {
    const { findings } = runRule(rule, sampleInputs('hot-thread'));
    expect(findings).toHaveLength(1);
    const f = findings[0];
    expect(f.pids).toEqual([3]);
    expect(['medium', 'high']).toContain(f.severity);
    expect(f.title).toContain('worker-3 (TID 7)');
    expect(f.title).toContain('3 top -H refreshes');
    // Each hot refresh cites its top line; the leader TID 3 (S, 99.9) is named as procps' quirk.
    expect(f.evidence.filter((e) => e.input === 'top-H-b-n3.txt' && /TID 7\) R at/.test(e.text)).map((e) => e.line)).toEqual([9, 22, 35]);
    expect(f.evidence.some((e) => e.text.includes('the leader TID 3') && e.text.includes('the hot thread is TID 7'))).toBe(true);
    expect(f.next).toContain('cat /proc/3/task/7/stack');
    expect(f.next).toContain('perf top -t 7');
  });

  it('does not trust ps %CPU (a lifetime average) from one moment', () => {
    const r = runRule(rule, sampleInputs('hot-thread').filter((i) => !i.name.startsWith('top')));
    expect(r.missing).toMatch(/lifetime average/);
    expect(r.findings).toEqual([]);
  });

  it('needs the thread hot in at least two refreshes', () => {
    const inputs = sampleInputs('hot-thread');
    const top = inputs.find((i) => i.name === 'top-H-b-n3.txt')!.text;
    // worker-3 hot in the first refresh only: the later two rows show it asleep.
    let n = 0;
    const once = top.replace(/^(\s+7 root .*) R  99\.9 (.*worker-3)$/gm, (_m, a: string, b: string) => { n++; return `${a} S   0.0 ${b}`; });
    expect(n).toBe(2);
    expect(runRule(rule, withFile(inputs, 'top-H-b-n3.txt', once)).findings).toEqual([]);
  });

  it('also reads CPU-time deltas between ps moments', () => {
    // No real capture of this shape exists yet: these rows are typed from the hot-thread sample's
    // numbers (worker-3 gains a CPU second per second, the leader row carries the process total,
    // as procps prints it), in the exact layout of `ps -eLo pid,tid,stat,etimes,time,comm`.
    const cmd = '$ ps -eLo pid,tid,stat,etimes,time,comm\n    PID     TID STAT ELAPSED     TIME COMMAND\n';
    const at = (age: number, cpu: number) => `${cmd}      3       3 Sl      ${String(age).padStart(4)} 00:00:${String(cpu).padStart(2, '0')} orders-svc\n` +
      `      3       5 Sl      ${String(age).padStart(4)} 00:00:00 worker-1\n      3       7 Rl      ${String(age).padStart(4)} 00:00:${String(cpu).padStart(2, '0')} worker-3\n`;
    const text = at(10, 8) + at(22, 20) + at(34, 32);
    const { findings } = runRule(rule, [{ name: 'ps-eLo-3moments.txt', text }]);
    expect(findings.map((f) => [f.pids, f.severity])).toEqual([[[3], 'medium']]);
    expect(findings[0].title).toContain('worker-3 (TID 7) spinning at 100% CPU in R across 2 intervals between moments');
  });

  it('stays quiet on a busy host whose top shows processes, and on idle refreshes', () => {
    expect(runRule(rule, sampleInputs('baseline-busy-host')).findings.filter((f) => f.severity !== 'low')).toEqual([]);
    expect(runRule(rule, sampleInputs('top-b-n3')).findings).toEqual([]);
  });
});
