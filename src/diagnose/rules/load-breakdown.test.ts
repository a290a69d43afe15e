import { describe, expect, it } from 'vitest';
import { analyze } from '../../analyze.ts';
import { rule } from './load-breakdown.ts';
import { runRule, sampleInputs, withFile } from './test-helpers.ts';

describe('load-breakdown (P22)', () => {
  it('explains a busy healthy host as CPU saturation, LOW, naming no process as the cause', () => {
    const { findings } = runRule(rule, sampleInputs('baseline-busy-host'));
    expect(findings).toHaveLength(1);
    const f = findings[0];
    expect(f.severity).toBe('low');
    expect(f.pids).toEqual([]);
    expect(f.title).toMatch(/CPU saturated: load 10\.68 on ≥?2 CPUs/);
    expect(f.evidence[0]).toMatchObject({ input: 'loadavg.txt', line: 1 });
    expect(f.evidence.some((e) => e.text.startsWith('runnable: ') && e.input === 'ps-eLo.txt')).toBe(true);
  });

  it('calls load left over from earlier a decaying spike (LOW) on a quiet host', () => {
    const { findings } = runRule(rule, sampleInputs('baseline-quiet-host'));
    expect(findings.map((f) => f.severity)).toEqual(['low']);
    expect(findings[0].title).toMatch(/left over from earlier/);
  });

  it('does not count the capture\'s own ps as runnable work', () => {
    // baseline-quiet-host: three R rows, one of them `ps aux` itself.
    const { findings } = runRule(rule, sampleInputs('baseline-quiet-host'));
    expect(findings[0].title).toContain('only 2 R and 0 D');
    expect(findings[0].evidence.find((e) => e.text.startsWith('R: '))!.text).not.toMatch(/\bps\b/);
  });

  it('explains D-made load as blocked I/O, with the same root cause as the D cluster', () => {
    const a = analyze(sampleInputs('d-cluster-fuse'));
    const f = a.findings.find((x) => x.rule === 'load-breakdown')!;
    expect(f.title).toMatch(/mostly D: 8 tasks blocked/);
    expect(f.pids).toEqual(expect.arrayContaining([27101, 27108]));
    // 8 blocked tasks on ≥2 CPUs (a PSR lower bound): MEDIUM, like the D cluster itself.
    expect(f.severity).toBe('medium');
    expect(f.rootCause).toBe(a.findings.find((x) => x.rule === 'd-state-cluster')!.rootCause);
  });

  it('does not call load "high load, low CPU" when top says the CPUs are 0% idle, and calls a top -p listing filtered', () => {
    const { findings } = runRule(rule, sampleInputs('kthread-cpu-hog'));
    expect(findings).toHaveLength(1);
    const f = findings[0];
    expect(f.severity).toBe('low');
    expect(f.title).not.toMatch(/high load, low CPU|mostly D/);
    expect(f.title).toMatch(/CPUs busy \(top: 0% idle\)/);
    expect(f.evidence.some((e) => e.text.startsWith('now: 1 R and 8 D threads in this filtered listing'))).toBe(true);
  });

  it('still reads many D tasks as "high load, low CPU" when top shows idle CPUs', () => {
    const inputs = sampleInputs('kthread-cpu-hog', (f) => f.startsWith('top'));
    // The same refreshes with the CPUs mostly idle (the real `%Cpu(s)` lines rewritten).
    const idle = inputs[0].text.replace(/^%Cpu\(s\):.*$/gm, '%Cpu(s):  2.0 us,  3.0 sy,  0.0 ni, 80.0 id, 15.0 wa,  0.0 hi,  0.0 si,  0.0 st ');
    expect(idle).not.toBe(inputs[0].text);
    const { findings } = runRule(rule, withFile(inputs, inputs[0].name, idle));
    expect(findings[0].title).toMatch(/mostly D: 8 tasks blocked/);
  });

  it('in a PID namespace that explains none of the host load, stays INFO', () => {
    const { findings } = runRule(rule, sampleInputs('stopped-and-traced'));
    expect(findings.map((f) => f.severity)).toEqual(['info']);
  });

  it('stays quiet when the load is within the CPUs and nothing is in D', () => {
    const inputs = sampleInputs('hot-thread');
    // hot-thread's loadavg rewritten to a calm 0.90 on its ≥2 CPUs; top's header (9.99) left out so
    // only that reading speaks. One R thread, no D: nothing to explain.
    const r = runRule(rule, withFile(inputs, 'loadavg.txt', '0.90 0.70 0.60 2/416 20\n').filter((i) => !i.name.startsWith('top')));
    expect(r.missing).toBeUndefined();
    expect(r.findings).toEqual([]);
  });

  it('says to capture the load average when there is none', () => {
    expect(runRule(rule, sampleInputs('ps-aux')).missing).toBe('no load average: capture `cat /proc/loadavg` and `nproc`');
  });
});
