// P04 on real captures, and its pitfalls: transient D on plain block I/O, idle kernel threads,
// busybox `SW`/`IW` kernel threads, a vfork parent.
import { describe, expect, it } from 'vitest';
import { analyzeFixture, analyzeSample, findingsOf } from '../test-inputs.ts';

describe('d-state-cluster', () => {
  it('groups eight readers of one hung mount across two wait channels, oldest first', () => {
    const [f] = findingsOf(analyzeSample('d-cluster-fuse'), 'd-state-cluster');
    expect(f.pids).toEqual([27101, 27102, 27103, 27104, 27105, 27106, 27107, 27108]);
    expect(f.severity).toBe('medium');
    expect(f.title).toBe('8 tasks stuck in D on files under /mnt/hung — one stalled resource (cat (27101) first)');
    expect(f.evidence[0].text).toMatch(/6× folio_wait_bit_common, 2× fuse_direct_IO/);
    // The FUSE server names the same directory: the hint that points at the root.
    expect(f.evidence.some((e) => e.pid === 5 && /hangfs/.test(e.text))).toBe(true);
    expect(f.next).toContain('findmnt -T /mnt/hung');
  });

  it('shares the rootCause with the RBD finding about the same device', () => {
    const a = analyzeSample('rbd-fsck-hang');
    expect(findingsOf(a, 'd-state-cluster')[0].rootCause).toBe('device:rbd3');
  });

  it('stays quiet on six writers briefly in D on normal direct I/O (one sample, 0 s old)', () => {
    // __fixtures__/transient-direct-io: `2 1 D submit_bio_wait … 0 dd if=/dev/zero of=/tmp/ds/io-1.bin …`
    const a = analyzeFixture('transient-direct-io');
    expect(a.snapshots[0].processes.filter((p) => p.state === 'D')).toHaveLength(6);
    expect(findingsOf(a, 'd-state-cluster')).toEqual([]);
  });

  it('stays quiet on idle I kernel threads of a whole host and on busybox SW/IW threads', () => {
    expect(findingsOf(analyzeSample('ps-aux-host-thousands'), 'd-state-cluster')).toEqual([]);
    expect(findingsOf(analyzeFixture('busybox-kthreads'), 'd-state-cluster')).toEqual([]);
  });

  it('does not cluster a vfork parent: it waits for its own child', () => {
    expect(findingsOf(analyzeSample('d-parent-zombies'), 'd-state-cluster')).toEqual([]);
  });
});
