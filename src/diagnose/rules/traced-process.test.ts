import { describe, expect, it } from 'vitest';
import { rule } from './traced-process.ts';
import { runRule, sampleInputs } from './test-helpers.ts';

describe('traced-process (P19)', () => {
  it('reports a ptrace stop HIGH when its tracer is itself stopped', () => {
    const { findings } = runRule(rule, sampleInputs('stopped-and-traced'));
    expect(findings).toHaveLength(1);
    const f = findings[0];
    expect(f.severity).toBe('high');
    expect(f.pids).toEqual([4, 6]);
    expect(f.title).toContain('redis-server (4)');
    expect(f.title).toContain('strace (6)');
    // TracerPid cited from /proc/4/status.
    const tp = f.evidence.find((e) => e.text.startsWith('TracerPid: 6'));
    expect(tp?.input).toBe('proc-status.txt');
    expect(f.next).toContain('kill -CONT 6; kill 6   # continue the stopped tracer, then end it: the tracee is detached');
    expect(f.rootCause).toBe('tracer:6');
  });

  it('finds the tracer from a debugger command line when there is no TracerPid', () => {
    const { findings } = runRule(rule, sampleInputs('ps-aux'));
    expect(findings.map((f) => [f.severity, f.pids])).toEqual([['medium', [25, 37]]]);
    expect(findings[0].title).toContain('gdb (37)');
  });

  it('reports a process merely attached to (S with TracerPid) as LOW, apart from the t one', () => {
    const { findings } = runRule(rule, sampleInputs('proc-status-bulk'));
    const bySev = Object.fromEntries(findings.map((f) => [f.pids[0], f.severity]));
    expect(bySev).toEqual({ 25: 'medium', 24: 'low' });
    expect(findings.find((f) => f.pids[0] === 24)?.pids).toEqual([24, 36]);
  });

  it('stays quiet where nothing is traced', () => {
    expect(runRule(rule, sampleInputs('baseline-quiet-host')).findings).toEqual([]);
    expect(runRule(rule, sampleInputs('memory-hog')).findings).toEqual([]);
  });
});
