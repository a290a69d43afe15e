// P01 on real captures: samples/rbd-fsck-hang (disguised fsck.ext4 -a /dev/rbd3 readers in real D)
// and samples/pvc-mount-stuck (mount/blkid of /dev/rbd0 under a kubelet path).
import { describe, expect, it } from 'vitest';
import { analyzeSample, findingsOf } from '../test-inputs.ts';

describe('rbd-io-hang', () => {
  it('names the stuck fsck.ext4 and the device, and tells to fix Ceph, not the victims', () => {
    const [f] = findingsOf(analyzeSample('rbd-fsck-hang'), 'rbd-io-hang');
    expect(f.severity).toBe('critical');
    expect(f.title).toBe('fsck.ext4 (28301) and 3 more processes stuck in D on /dev/rbd3 — Ceph RBD I/O is hung');
    expect(f.pids).toEqual([28301, 28302, 28303, 28304]);
    expect(f.rootCause).toBe('device:rbd3');
    expect(f.next).toContain('rbd showmapped | grep -w rbd3');
    expect(f.next).toContain('cat /proc/28301/stack');
    expect(f.next.join('\n')).toMatch(/ceph osd tree \| grep -w down/);
    expect(f.next.join('\n')).not.toMatch(/kill -9/);
  });

  it('cites the ps lines, the kernel reports and the waiting parent fsck', () => {
    const [f] = findingsOf(analyzeSample('rbd-fsck-hang'), 'rbd-io-hang');
    const first = f.evidence.find((e) => e.pid === 28301 && e.input?.startsWith('ps'));
    expect(first?.line).toBeGreaterThan(1);
    expect(f.evidence.some((e) => e.text.startsWith('kernel: task fsck.ext4:28301 blocked for more than') && e.input === 'dmesg.txt')).toBe(true);
    expect(f.evidence.some((e) => e.pid === 28300 && /not in D/.test(e.text))).toBe(true);
    expect(f.evidence.some((e) => /D in 2 of 2 moments 12s apart, context switches unchanged/.test(e.text))).toBe(true);
  });

  it('stays quiet on a FUSE hang that names no RBD device', () => {
    expect(findingsOf(analyzeSample('d-cluster-fuse'), 'rbd-io-hang')).toEqual([]);
    expect(findingsOf(analyzeSample('nfs-hang'), 'rbd-io-hang')).toEqual([]);
  });
});
