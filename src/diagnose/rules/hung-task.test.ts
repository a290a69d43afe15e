// P06 on real captures, and the pitfalls: one sample proves nothing, killable waits (the vfork
// parent, NFS RPC waits) are not hung tasks, frozen tasks belong to P08.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../analyze.ts';
import { analyzeFixture, analyzeSample, findingsOf, sampleInputs } from '../test-inputs.ts';

describe('hung-task', () => {
  it('puts kernel-reported tasks first, then the ones whose switches never moved', () => {
    const [f] = findingsOf(analyzeSample('d-cluster-fuse'), 'hung-task');
    expect(f.pids).toEqual([27107, 27108, 27101, 27102, 27103, 27104, 27105, 27106]);
    expect(f.severity).toBe('high');
    expect(f.evidence[0]).toMatchObject({ input: 'dmesg.txt', pid: 27107 });
    expect(f.evidence[0].text).toMatch(/^kernel: INFO: task dd:27107 blocked for more than 20 seconds/);
    expect(f.evidence.some((e) => e.pid === 27101 && /context switches stuck at/.test(e.text))).toBe(true);
    expect(f.next[0]).toBe('cat /proc/27107/stack /proc/27107/wchan');
  });

  it('reports a task known only from a kernel log, with its lock owner line', () => {
    const [f] = findingsOf(analyzeSample('dmesg-formats'), 'hung-task');
    expect(f.pids[0]).toBe(7487);
    expect(f.evidence.some((e) => /likely owned by task zsh:470 — itself: a self-deadlock/.test(e.text))).toBe(true);
  });

  it('finds the D thread behind an Ssl process row', () => {
    const [f] = findingsOf(analyzeSample('d-thread-behind-ssl'), 'hung-task');
    expect(f.title).toMatch(/^io-reader \(7, thread 10\) hung in D/);
  });

  it('is not evaluated from one moment without a kernel log', () => {
    const a = analyzeSample('ps-o-wchan');
    expect(a.notEvaluated.find((n) => n.rule === 'hung-task')?.missing).toMatch(/dmesg -T/);
  });

  it('does not call a vfork parent hung although it sat in D 12 s with unchanged switches', () => {
    // __fixtures__/vfork-two-moments: `2 1 D kernel_clone … /tmp/ds/vfork_dparent 4 …` twice, ctxt 2/3 twice.
    const a = analyzeFixture('vfork-two-moments');
    expect(a.notEvaluated.some((n) => n.rule === 'hung-task')).toBe(false);
    expect(findingsOf(a, 'hung-task')).toEqual([]);
    expect(findingsOf(a, 'zombies-under-d-parent')).toHaveLength(1);
  });

  it('does not call NFS RPC waiters hung (killable); nfs-hang explains them', () => {
    // Splice of samples/nfs-hang: its real ps/status files, with the wait channel column of the
    // D readers set to what a real NFS read waits in (`rpc_wait_bit_killable`, heuristics.md P03)
    // instead of the FUSE stand-in's `folio_wait_bit_common`. Everything else is the real capture.
    const inputs = sampleInputs('nfs-hang')
      .filter((i) => i.name !== 'proc-stack.txt')
      .map((i) => ({ ...i, text: i.text.replaceAll('folio_wait_bit_common', 'rpc_wait_bit_killable') }));
    const a = analyze(inputs);
    expect(findingsOf(a, 'hung-task')).toEqual([]);
    const [nfs] = findingsOf(a, 'nfs-hang');
    expect(nfs.pids.slice(0, 5)).toEqual([7, 8, 9, 10, 11]);
    expect(nfs.evidence.some((e) => /killable RPC wait/.test(e.text))).toBe(true);
  });

  it('leaves frozen tasks to frozen-cgroup', () => {
    expect(findingsOf(analyzeSample('runtime-hang'), 'hung-task')).toEqual([]);
  });
});
