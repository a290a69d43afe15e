import { describe, expect, it } from 'vitest';
import { analyze } from '../../analyze.ts';
import { rule } from './pod-stuck-terminating.ts';
import { moment, runRule, sampleFile, sampleInputs } from './test-helpers.ts';

describe('pod-stuck-terminating (P27)', () => {
  it('reports a pod whose every process is in D after SIGKILL, HIGH, with the hung tasks\' cause', () => {
    const a = analyze(sampleInputs('pod-stuck-terminating'));
    const f = a.findings.find((x) => x.rule === 'pod-stuck-terminating')!;
    expect(f.severity).toBe('high');
    expect(f.pids).toEqual([29702, 29703]);
    expect(f.title).toMatch(/cannot terminate: java \(29702\), python3 \(29703\) stuck in D \(fuse_direct_IO\)/);
    expect(f.rootCause).toBe(a.findings.find((x) => x.rule === 'hung-task')!.rootCause);
    expect(f.evidence.some((e) => e.text.startsWith('kernel: INFO: task java:29702 blocked') && e.input === 'dmesg.txt')).toBe(true);
    expect(f.next).toContain("grep -E 'State|SigPnd|ShdPnd' /proc/29702/status   # a pending SIGKILL reads …0100 in SigPnd or ShdPnd");
    expect(f.next.join('\n')).toMatch(/do not: kubectl delete --force/);
  });

  it('warns (LOW) that the CSI plugin pod would hang Terminating, on the rbd device the rbd hang names', () => {
    const a = analyze(sampleInputs('pvc-mount-stuck'));
    const f = a.findings.find((x) => x.rule === 'pod-stuck-terminating')!;
    expect(f.severity).toBe('low');
    expect(f.pids).toEqual([29512, 29513]);
    expect(f.rootCause).toBe('device:rbd0');
    expect(a.findings.find((x) => x.rule === 'rbd-io-hang')!.rootCause).toBe('device:rbd0');
  });

  it('stays quiet for frozen containers, D outside any pod, and a short single-moment D', () => {
    expect(runRule(rule, sampleInputs('runtime-hang')).findings).toEqual([]);
    expect(runRule(rule, sampleInputs('frozen-cgroup')).findings).toEqual([]);
    expect(runRule(rule, sampleInputs('d-cluster-fuse')).findings).toEqual([]);
    // The first moment alone: D for 19 s, no kernel report, nothing to say it is not passing.
    const first = moment(sampleFile('pod-stuck-terminating', 'ps-o-wchan-2moments.txt'), 0);
    expect(runRule(rule, [{ name: 'ps-o-wchan.txt', text: first }]).findings).toEqual([]);
  });
});
