import { describe, expect, it } from 'vitest';
import { analyze } from '../../analyze.ts';
import { rule } from './runtime-hang.ts';
import { runRule, sampleInputs } from './test-helpers.ts';

describe('runtime-hang (P26)', () => {
  it('reports runc exec piling up on frozen runc inits under one shim, sharing the freezer finding\'s cause', () => {
    const a = analyze(sampleInputs('runtime-hang'));
    const f = a.findings.filter((x) => x.rule === 'runtime-hang');
    expect(f).toHaveLength(1);
    expect(f[0].severity).toBe('high');
    expect(f[0].pids).toEqual([6, 9, 10, 12, 159, 161, 354, 356]);
    expect(f[0].title).toMatch(/3× runc exec waiting on runc init frozen in D, up to 1m 25s old/);
    expect(f[0].rootCause).toBe(a.findings.find((x) => x.rule === 'frozen-cgroup')!.rootCause);
    // The runc exec processes sleep in do_wait and can be killed; the frozen inits are not offered.
    expect(f[0].next.some((n) => n.startsWith('kill -9 10 159 354 '))).toBe(true);
    expect(f[0].next.join('\n')).not.toMatch(/kill -9[^\n]*\b12\b/);
  });

  it('reports a shim whose container processes are in D, with the same cause as the hung tasks', () => {
    const a = analyze(sampleInputs('pod-stuck-terminating'));
    const f = a.findings.find((x) => x.rule === 'runtime-hang')!;
    expect(f.pids).toEqual([29700, 29702, 29703]);
    expect(f.rootCause).toBe(a.findings.find((x) => x.rule === 'hung-task')!.rootCause);
    expect(f.next.join('\n')).not.toMatch(/kill -9/);
  });

  it('stays quiet on a paused container with no runtime call waiting, and on D grandchildren under a live plugin', () => {
    expect(runRule(rule, sampleInputs('frozen-cgroup')).findings).toEqual([]);
    expect(runRule(rule, sampleInputs('pvc-mount-stuck')).findings).toEqual([]);
    expect(runRule(rule, sampleInputs('baseline-busy-host')).findings).toEqual([]);
  });

  it('says what to capture without parent PIDs', () => {
    expect(runRule(rule, sampleInputs('ps-aux')).missing).toMatch(/no parent PIDs/);
  });
});
