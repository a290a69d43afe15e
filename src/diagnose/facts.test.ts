// The shared facts, proved on real text: samples/ captures, the pitfall captures in __fixtures__,
// and lines quoted in /work/shared/reference/formats.md and process-notes.txt.
import { describe, expect, it } from 'vitest';
import { analyze } from '../analyze.ts';
import {
  ageSec, captureSet, causeOrder, cite, clusterD, containerInits, dClusterSeverity, devicesInArgs, deviceOfKernelThread,
  dPersistence, dTasks, familiesOf, familiesOfTruncated, goodInitName, isDefunctLeaderWithThreads, isIdleKernelWait,
  isKthread, isNamespaceSnapshot, isTrueZombie, killableKind, normSym, pathDirs, pidMap, primaryFamilies, procLabel,
  raise, rootCauseOf, tasksOf, topFrame, zombiesByParent, zombieSeverity, zombieTrend,
} from './facts.ts';
import { analyzeFixture, analyzeSample, contextOf, sampleFile } from './test-inputs.ts';

describe('kernel symbols', () => {
  it('reduces stack and wchan text to the function name', () => {
    // formats.md §3/§4 frame shapes.
    expect(normSym('[<0>] percpu_rwsem_wait+0x15f/0x1d0')).toBe('percpu_rwsem_wait');
    expect(normSym(' [<ffffffff817203fd>] io_schedule+0x9d/0x140')).toBe('io_schedule');
    expect(normSym(' jbd2_log_wait_commit+0xac/0x120 [jbd2]')).toBe('jbd2_log_wait_commit');
    expect(normSym('[] ? schedule_timeout+0x1ed/0x2d0')).toBe('schedule_timeout');
    expect(normSym('[<c0882f18>] (__schedule) from [<c0883858>] (schedule+0x64/0xe4)')).toBe('__schedule');
    expect(normSym('poll_schedule_timeout.constprop.')).toBe('poll_schedule_timeout');
    expect(normSym('-')).toBe('');
  });

  it('skips the scheduler frames to find the wait', () => {
    // The hung-task trace of fsck.ext4:28301 in samples/rbd-fsck-hang/dmesg.txt.
    expect(topFrame(['__schedule+0x3cc/0xf50', 'schedule+0x23/0xa0', 'schedule_timeout+0xc1/0x110', 'wait_for_completion+0x86/0x140', 'fuse_direct_IO+0x1b0/0x440']))
      .toBe('wait_for_completion');
  });

  it('sorts waits into families, killable ones included', () => {
    expect(familiesOf('kernel_clone')).toEqual(expect.arrayContaining(['vfork', 'killable']));
    expect(familiesOf('rpc_wait_bit_killable')).toEqual(expect.arrayContaining(['nfs', 'killable']));
    expect(familiesOf('nfs_wait_bit_killable')).toEqual(expect.arrayContaining(['nfs', 'killable']));
    expect(familiesOf('rwsem_down_read_slowpath')).toContain('lock');
    expect(familiesOf('percpu_rwsem_wait')).toEqual(expect.arrayContaining(['lock', 'fs-freeze']));
    expect(familiesOf('__refrigerator')).toContain('refrigerator');
    expect(familiesOf('ceph_osdc_wait_request')).toContain('libceph');
    expect(familiesOf('ceph_mdsc_do_request')).toContain('cephfs');
    expect(familiesOf('rbd_img_request_submit')).toContain('rbd');
    expect(familiesOf('try_to_free_pages')).toContain('reclaim');
    expect(familiesOf('folio_wait_bit_common')).toContain('page-wait');
    expect(familiesOf('worker_thread')).toContain('idle');
    expect(familiesOf('do_sys_pause')).not.toContain('killable');
  });

  it('reads a 6-wide ps wchan only when the prefix is unambiguous', () => {
    // samples/ps-alx: `5 1 … kernel D … vfork_dparent` (kernel_clone cut at 6).
    expect(familiesOfTruncated('kernel')).toEqual(expect.arrayContaining(['vfork', 'killable']));
    // `rwsem_` is some rwsem wait: lock, but not necessarily killable.
    expect(familiesOfTruncated('rwsem_')).toEqual(['lock']);
    // `wait_o` could be a buffer (I/O) or a page wait: nothing in common, no family.
    expect(familiesOfTruncated('wait_o')).toEqual([]);
  });
});

describe('devices', () => {
  it('finds the device an fsck names (process-notes.txt)', () => {
    // `root 21979 0.0 0.0 121272 1388 ? D Jan14 0:00 fsck.ext4 -a /dev/rbd3`
    expect(devicesInArgs('fsck.ext4 -a /dev/rbd3')).toEqual([{ name: 'rbd3', kind: 'rbd', via: 'arg' }]);
  });

  it('reads /dev paths, dd-style assignments and bare rbd names, never /dev/null', () => {
    expect(devicesInArgs('dd if=/dev/nvme0n1p2 of=/dev/null bs=1M').map((d) => d.name)).toEqual(['nvme0n1p2']);
    expect(devicesInArgs('rbd unmap rbd3').map((d) => d.name)).toEqual(['rbd3']);
    expect(devicesInArgs('mount /dev/dm-2 /var/lib/docker').map((d) => d.kind)).toEqual(['dm']);
    expect(devicesInArgs('xfs_repair /dev/mapper/vg0-data').map((d) => d.name)).toEqual(['mapper/vg0-data']);
    expect(devicesInArgs('cat /mnt/hung/disk.img')).toEqual([]);
  });

  it('reads kubelet and CSI volume paths (heuristics.md P01)', () => {
    const [d] = devicesInArgs('mount -t ext4 /dev/rbd0 /var/lib/kubelet/pods/0c1e/volumes/kubernetes.io~rbd/pvc-6f1d2c3b-aaaa-bbbb');
    expect(d.name).toBe('rbd0');
    const csi = devicesInArgs('fsck.ext4 -a /var/lib/kubelet/plugins/kubernetes.io/csi/rbd.csi.ceph.com/4f1c/globalmount/0001-0009-rook-ceph-0000');
    expect(csi[0]).toMatchObject({ kind: 'csi', backend: 'rbd' });
  });

  it('names the device of journal and flush kernel threads', () => {
    // formats.md §4: rook/rook#1018 `jbd2/rbd0-8` on Ceph rbd; `Workqueue: writeback wb_workfn (flush-253:0)`.
    expect(deviceOfKernelThread('jbd2/rbd0-8')?.name).toBe('rbd0');
    expect(deviceOfKernelThread('[xfsaild/dm-3]')?.name).toBe('dm-3');
    expect(deviceOfKernelThread('kworker/u16:2+flush-253:0')).toMatchObject({ kind: 'bdi', name: '253:0' });
    expect(deviceOfKernelThread('kworker/0:1')).toBeNull();
  });

  it('keeps directory keys for files and for directories named in args', () => {
    expect(pathDirs('dd if=/mnt/hung/disk.img of=/dev/null bs=1M')).toEqual(['/mnt/hung', '/mnt/hung/disk.img']);
    expect(pathDirs('ls -l /srv/shared')).toEqual(['/srv/shared']);
    expect(pathDirs('sleep 100')).toEqual([]);
  });
});

describe('tasks: threads wherever the input shows them', () => {
  it('keeps a D thread visible behind an Ssl process row', () => {
    const a = analyzeSample('d-thread-behind-ssl');
    const s = a.snapshots[a.snapshots.length - 1];
    expect(pidMap(s).get(7)?.stat).toBe('Ssl');
    const d = dTasks(s);
    expect(d.map((t) => [t.pid, t.tid, t.comm, t.wchan])).toEqual([[7, 10, 'io-reader', 'folio_wait_bit_common']]);
  });

  it('uses the process row for the main thread when no threads are shown', () => {
    const a = analyzeSample('ps-o-wchan');
    const t = tasksOf(a.snapshots[0]).find((x) => x.pid === 5)!;
    expect([t.tid, t.state, t.wchan]).toEqual([5, 'D', 'kernel_clone']);
    expect(killableKind(t)).toBe('vfork');
  });

  it('turns hung-task reports without a process row into tasks of their own', () => {
    const a = analyzeSample('dmesg-formats');
    const t = tasksOf(a.snapshots[0]).find((x) => x.tid === 7487)!;
    expect(t.kernelOnly).toBe(true);
    expect(t.state).toBe('D');
    expect(primaryFamilies(t)).toContain('fs-freeze');
  });
});

describe('pitfalls the facts encode', () => {
  it('counts I-state kernel threads as idle, never as D', () => {
    const a = analyzeSample('ps-aux-host-thousands');
    const s = a.snapshots[0];
    const idle = tasksOf(s).filter((t) => t.state === 'I');
    expect(idle.length).toBeGreaterThan(10);
    expect(idle.every(isIdleKernelWait)).toBe(true);
    expect(dTasks(s)).toEqual([]);
  });

  it('discounts a kernel thread in D on an idle wait (4.2–4.13 TASK_IDLE)', () => {
    // Splice: the real row `root 15 … I … [rcu_preempt]`-style kthread rows from this host's
    // `ps -eo pid,ppid,stat,wchan:32,comm` print `15 2 I rcu_gp_fqs_loop rcu_preempt`; a 4.2–4.13
    // kernel prints the same task with STAT D (TASK_IDLE before the I letter existed). Only the
    // state letter differs from the real row.
    const text = '    PID    PPID STAT WCHAN                            COMMAND\n      2       0 S    kthreadd                         kthreadd\n     15       2 D    rcu_gp_fqs_loop                  rcu_preempt\n';
    const s = analyze([{ name: 'ps-idle-d.txt', text }]).snapshots[0];
    const t = tasksOf(s).find((x) => x.pid === 15)!;
    expect(t.state).toBe('D');
    expect(isIdleKernelWait(t)).toBe(true);
    expect(dTasks(s)).toEqual([]);
  });

  it('treats busybox SW/IW as S and I kernel threads on a host, not as paging', () => {
    const a = analyzeFixture('busybox-kthreads');
    const s = a.snapshots[0];
    const two = pidMap(s).get(2)!;
    expect(two.stat).toBe('SW');
    expect(two.state).toBe('S');
    expect(s.processes.some((p) => p.state === 'W')).toBe(false);
    expect(isNamespaceSnapshot(s)).toBe(false);
    expect(isKthread(s, two)).toBe(true);
  });

  it("leaves the capture's own ps and awk out, but never a D reader beside them", () => {
    const a = analyzeFixture('capture-pipeline');
    const cap = captureSet(a.snapshots[0]);
    expect([...cap].sort((x, y) => x - y)).toEqual([6, 8]); // `ps -eo …` and `awk { print }`
    // samples/nfs-hang: `cat /mnt/nfs/share/report.csv` (7) and `tail` (8) are D under the same
    // PID 1 as the capture's `ps aux`; they are the workload.
    const nfs = analyzeSample('nfs-hang');
    const s = nfs.snapshots[nfs.snapshots.length - 1];
    const c = captureSet(s);
    expect(c.has(7) || c.has(8)).toBe(false);
    expect(c.has(35)).toBe(true); // `ps aux`
  });

  it('knows PID 2 of a namespace is not kthreadd', () => {
    // samples/container-init-zombies: `2 1 S do_wait bash /tmp/s2/case4-cap.sh`
    const a = analyzeSample('container-init-zombies');
    const s = a.snapshots[a.snapshots.length - 1];
    expect(isKthread(s, pidMap(s).get(2)!)).toBe(false);
    expect(isNamespaceSnapshot(s)).toBe(true);
  });
});

describe('killable and persistent D', () => {
  it('sees a vfork parent D in two moments 12 s apart with unchanged switches, and knows it is killable', () => {
    const a = analyzeFixture('vfork-two-moments');
    const ctx = contextOf(a);
    const t = dTasks(ctx.current).find((x) => x.pid === 2)!;
    const p = dPersistence(ctx.ingest, ctx.snapshots, t);
    expect(p.persistent).toBe(true);
    expect(p.spanSec).toBe(12);
    expect(p.ctxtUnchanged).toBe(true);
    expect(killableKind(t)).toBe('vfork');
  });

  it('does not count one single-moment input twice', () => {
    // samples/rbd-fsck-hang: ps-aux.txt (one moment) belongs to both snapshots; persistence comes
    // from the two moments of ps-o-wchan-2moments.txt and the two status dumps.
    const a = analyzeSample('rbd-fsck-hang');
    const ctx = contextOf(a);
    const t = dTasks(ctx.current).find((x) => x.pid === 28303)!;
    const p = dPersistence(ctx.ingest, ctx.snapshots, t);
    expect(p.inD).toBe(2);
    expect(p.spanSec).toBe(12);
    expect(p.ctxtUnchanged).toBe(true);
    const single = analyzeSample('ps-alx');
    const one = contextOf(single);
    expect(dPersistence(one.ingest, one.snapshots, dTasks(one.current)[0]).persistent).toBe(false);
  });
});

describe('D groups and root causes', () => {
  it('groups readers of one mount across wait channels', () => {
    const a = analyzeSample('d-cluster-fuse');
    const s = a.snapshots[a.snapshots.length - 1];
    const [g] = clusterD(dTasks(s));
    expect(g.key).toBe('path:/mnt/hung');
    expect(g.tasks).toHaveLength(8);
    expect(causeOrder(s, g.tasks)[0].pid).toBe(27101);
  });

  it('points every finding about /dev/rbd3 at device:rbd3', () => {
    const a = analyzeSample('rbd-fsck-hang');
    const s = a.snapshots[a.snapshots.length - 1];
    expect(rootCauseOf(dTasks(s))).toBe('device:rbd3');
    const keys = new Set(a.findings.filter((f) => ['rbd-io-hang', 'd-state-cluster', 'hung-task'].includes(f.rule)).map((f) => f.rootCause));
    expect([...keys]).toEqual(['device:rbd3']);
  });
});

describe('containers and zombies', () => {
  it('finds the app running as PID 1 of a namespace', () => {
    const a = analyzeSample('container-init-zombies');
    const [ci] = containerInits(a.snapshots[a.snapshots.length - 1]);
    expect(ci).toMatchObject({ pid: 1, via: 'namespace', goodInit: null });
    expect(procLabel(ci.proc)).toBe('node (1)');
  });

  it('finds a container init under a containerd-shim on the host side', () => {
    // samples/frozen-cgroup: `4 1 S do_wait /usr/bin/containerd-shim-runc-v2 …`, `5 4 D refrigerator nginx: master process`
    const a = analyzeSample('frozen-cgroup');
    const inits = containerInits(a.snapshots[0]);
    expect(inits.find((c) => c.via === 'shim')).toMatchObject({ pid: 5, shimPid: 4 });
  });

  it('knows the reaping inits', () => {
    const p = (args: string) => ({ args, comm: undefined } as unknown as Parameters<typeof goodInitName>[0]);
    expect(goodInitName(p('/sbin/tini -- java -jar app.jar'))).toBe('tini');
    expect(goodInitName(p('/usr/bin/dumb-init -- node server.js'))).toBe('dumb-init');
    expect(goodInitName(p('/pause'))).toBe('pause');
    expect(goodInitName(p('/usr/bin/python3 /usr/bin/supervisord -n'))).toBe('supervisord');
    expect(goodInitName(p('node /app/server.js'))).toBeNull();
  });

  it('groups zombies by parent and sees them grow between moments', () => {
    const a = analyzeSample('container-init-zombies');
    const ctx = contextOf(a);
    const zs = zombiesByParent(ctx.current).get(1)!;
    expect(zs).toHaveLength(18);
    expect(zs.every(isTrueZombie)).toBe(true);
    const trend = zombieTrend(ctx.ingest, ctx.snapshots, ctx.current, pidMap(ctx.current).get(1)!, zs);
    expect(trend.counts).toEqual([10, 18]);
    expect(trend.growing).toBe(true);
    expect(trend.persistent).toBe(true);
  });

  it('does not call a live thread-group leader a zombie', () => {
    const a = analyzeSample('ps-o-wchan');
    const z = pidMap(a.snapshots[0]).get(7)!; // `7 5 Z - … [vfork_dparent] <defunct>`
    expect(isDefunctLeaderWithThreads(z)).toBe(false);
    expect(isTrueZombie(z)).toBe(true);
  });
});

describe('evidence and severity', () => {
  it('cites the input and line a fact came from', () => {
    const a = analyzeSample('ps-o-wchan');
    const s = a.snapshots[0];
    const ev = cite(s, pidMap(s).get(5)!, 'vfork parent', 'wchan');
    expect(ev.input).toBe('ps-eo.txt');
    const line = sampleFile('ps-o-wchan', 'ps-eo.txt').split('\n')[ev.line! - 1];
    expect(line).toMatch(/^\s+5\s+1 D\s+kernel_clone/);
  });

  it('ages processes from etimes', () => {
    const a = analyzeSample('orphans-under-init');
    const s = a.snapshots[0];
    expect(ageSec(pidMap(s).get(9)!, s)).toBe(80);
  });

  it('scales by counts as heuristics.md §3 says', () => {
    expect([2, 3, 9, 10].map(dClusterSeverity)).toEqual([null, 'medium', 'medium', 'high']);
    expect(zombieSeverity(4, true, false)).toBe('low');
    expect(zombieSeverity(5, true, false)).toBe('medium');
    expect(zombieSeverity(5, false, false)).toBe('low');
    expect(zombieSeverity(50, true, false)).toBe('high');
    expect(zombieSeverity(6, true, true)).toBe('high');
    expect(raise('medium')).toBe('high');
    expect(raise('critical')).toBe('critical');
  });
});
