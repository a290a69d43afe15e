import { describe, expect, it } from 'vitest';
import { analyze } from '../../analyze.ts';
import { rule } from './pvc-mount-stuck.ts';
import { moment, runRule, sampleFile, sampleInputs } from './test-helpers.ts';

const first = () => moment(sampleFile('pvc-mount-stuck', 'ps-o-wchan-2moments.txt'), 0);

describe('pvc-mount-stuck (P28)', () => {
  it('reports mount and blkid of /dev/rbd0 stuck in D under csi-rbdplugin, on the rbd hang\'s device', () => {
    const a = analyze(sampleInputs('pvc-mount-stuck'));
    const f = a.findings.find((x) => x.rule === 'pvc-mount-stuck')!;
    expect(f.severity).toBe('high');
    expect(f.pids).toEqual([29512, 29513]);
    expect(f.title).toMatch(/mount \(29512\), blkid \(29513\) of \/dev\/rbd0 under csi-rbdplugin \(29511\) stuck in D, up to 1m 24s old/);
    expect(f.rootCause).toBe(a.findings.find((x) => x.rule === 'rbd-io-hang')!.rootCause);
    expect(f.evidence[0].text).toMatch(/containerd-shim \(29510\) → csi-rbdplugin \(29511\)/);
    expect(f.next[0]).toMatch(/-c csi-rbdplugin -- ps -ef \| grep -E 'rbd \(map\|unmap\)\|mkfs\|fsck\|mount\|blkid'/);
  });

  it('stays quiet on storage tools outside kubelet/CSI (an admin fsck on /dev/rbd3)', () => {
    expect(runRule(rule, sampleInputs('rbd-fsck-hang')).findings).toEqual([]);
    expect(runRule(rule, sampleInputs('pod-stuck-terminating')).findings).toEqual([]);
  });

  it('counts a stage step as stale only after a minute when nothing else says so', () => {
    expect(runRule(rule, [{ name: 'ps-o-wchan.txt', text: first() }]).findings.map((f) => f.severity)).toEqual(['high']);
    const young = first().replace(/\s{6}72 mount/, '       5 mount').replace(/\s{6}71 blkid/, '       4 blkid');
    expect(young).not.toBe(first());
    expect(runRule(rule, [{ name: 'ps-o-wchan.txt', text: young }]).findings).toEqual([]);
  });

  it('reports steps that only sleep for over a minute as MEDIUM', () => {
    const asleep = first().replace(/ D    fuse_direct_IO  /g, ' S    do_sys_poll     ');
    const { findings } = runRule(rule, [{ name: 'ps-o-wchan.txt', text: asleep }]);
    expect(findings.map((f) => [f.severity, f.pids])).toEqual([['medium', [29512, 29513]]]);
  });
});
