// P03 on samples/nfs-hang: readers of a hung mount (a FUSE stand-in mounted at /mnt/nfs/share)
// plus the public kernel line `nfs: server batalix not responding, still trying` (formats.md §4).
import { describe, expect, it } from 'vitest';
import { analyze } from '../../analyze.ts';
import { analyzeSample, findingsOf, sampleInputs } from '../test-inputs.ts';

describe('nfs-hang', () => {
  it('ties the D readers and the hanging df to the server the kernel names', () => {
    const [f] = findingsOf(analyzeSample('nfs-hang'), 'nfs-hang');
    expect(f.pids).toEqual([7, 8, 9, 10, 11, 13, 14]);
    expect(f.title).toBe('cat (7) and 6 more processes stuck on NFS (/mnt/nfs/share) — server batalix not responding (hard mount)');
    expect(f.evidence[0]).toMatchObject({ text: 'kernel: nfs: server batalix not responding, still trying', input: 'dmesg-public-excerpt.txt' });
    expect(f.next).toContain('rpcinfo -p batalix; showmount -e batalix');
    expect(f.next.at(-1)).toMatch(/umount -f \/mnt\/nfs\/share, then umount -l \/mnt\/nfs\/share/);
    expect(f.rootCause).toBe('path:/mnt/nfs/share');
  });

  it('stays quiet on the same hang without the kernel line or NFS frames (it is just a stuck mount)', () => {
    const a = analyze(sampleInputs('nfs-hang').filter((i) => i.name !== 'dmesg-public-excerpt.txt'));
    expect(findingsOf(a, 'nfs-hang')).toEqual([]);
    expect(findingsOf(a, 'd-state-cluster')).toHaveLength(1);
  });

  it('stays quiet on a FUSE hang and on an RBD hang', () => {
    expect(findingsOf(analyzeSample('d-cluster-fuse'), 'nfs-hang')).toEqual([]);
    expect(findingsOf(analyzeSample('rbd-fsck-hang'), 'nfs-hang')).toEqual([]);
  });
});
