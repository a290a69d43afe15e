// P02 on samples/cephfs-hang: tools stuck on a ceph-csi subvolume path
// (`/mnt/cephfs/volumes/_nogroup/csi-vol-8f2c1e4a`), mkdir holding the directory lock, du/df in S.
import { describe, expect, it } from 'vitest';
import { analyzeSample, findingsOf } from '../test-inputs.ts';

describe('cephfs-hang', () => {
  it('names the volume and lists the D tasks first, then the holder and du/df', () => {
    const [f] = findingsOf(analyzeSample('cephfs-hang'), 'cephfs-hang');
    expect(f.pids).toEqual([9, 10, 11, 12, 7, 13, 14]);
    expect(f.title).toBe('ls (9) and 6 more processes stuck on CephFS volume csi-vol-8f2c1e4a — the MDS/OSDs not answering');
    expect(f.severity).toBe('high');
    expect(f.next).toContain('cat /sys/kernel/debug/ceph/*/mdsc /sys/kernel/debug/ceph/*/osdc');
    expect(f.evidence.some((e) => e.pid === 14 && /df -h/.test(e.text))).toBe(true);
  });

  it('does not take the FUSE server of the mount for a victim', () => {
    const [f] = findingsOf(analyzeSample('cephfs-hang'), 'cephfs-hang');
    expect(f.pids).not.toContain(5); // `hangfs2 … /mnt/cephfs/volumes/…` in fuse_dev_do_read
  });

  it('stays quiet where nothing points at Ceph', () => {
    expect(findingsOf(analyzeSample('nfs-hang'), 'cephfs-hang')).toEqual([]);
    expect(findingsOf(analyzeSample('rbd-fsck-hang'), 'cephfs-hang')).toEqual([]);
    expect(findingsOf(analyzeSample('d-cluster-fuse'), 'cephfs-hang')).toEqual([]);
  });
});
