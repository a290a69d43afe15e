// P02 CephFS kernel-client hang — HIGH/CRIT. D tasks in ceph_* client frames (ceph_mdsc_do_request,
// cap waits), in libceph OSD requests with no RBD device in sight, or stuck on a CephFS path (the
// ceph-csi subvolume layout `/volumes/_nogroup/csi-vol-…`, a `cephfs` mount): the MDS or the OSDs are
// not answering. `ls`/`stat`/`df` hang with them. RBD hangs (libceph frames beside /dev/rbdN) are P01's.
import type { Evidence } from '../../model/index.ts';
import type { Rule } from '../types.ts';
import {
  missingStatesOrWaitsOrArgs,
  cite, allFamilies, captureSet, causeOrder, citeFirst, citeReport, citeTask, clusterD, describeProcess, describeTask,
  devicesOfTask, dKeys, dTasks, isFrozen, kernelEvents, kernelLogInputName, killableKind, meaningfulFrames,
  plural, rootCauseOf, stackLine, taskLabel, uniquePids, waitersOnPath, type Task,
} from '../facts.ts';

// ceph-csi CephFS subvolumes (`/volumes/_nogroup/csi-vol-8f2c1e4a`) and mounts named for CephFS.
const CEPHFS_PATH = /\/volumes\/_nogroup(?:\/|$)|\/csi-vol-[0-9a-f-]+(?:\/|$)|\/cephfs(?:\/|$)/i;

function isCephfsTask(t: Task, rbdAround: boolean): boolean {
  const devs = devicesOfTask(t);
  if (devs.some((d) => d.kind === 'csi' && d.backend === 'cephfs')) return true;
  if (devs.some((d) => d.kind === 'rbd' || d.backend === 'rbd')) return false;
  const f = allFamilies(t);
  if (f.has('rbd')) return false;
  return f.has('cephfs') || (f.has('libceph') && !rbdAround);
}

export const rule: Rule = {
  id: 'cephfs-hang',
  pattern: 'P02',
  catches: 'CephFS kernel-client hang: D tasks in ceph_* client frames (MDS requests, cap waits), OSD requests without an RBD device, or stuck on a CephFS volume path',
  needsText: 'process states with wchan or kernel stacks and command lines (ps -eo pid,ppid,stat,wchan:32,etimes,args; /proc/PID/stack; hung-task reports)',
  missing: missingStatesOrWaitsOrArgs,
  evaluate(ctx) {
    const s = ctx.current;
    const d = dTasks(s).filter((t) => !isFrozen(t) && killableKind(t) !== 'vfork');
    const rbdAround = d.some((t) => allFamilies(t).has('rbd') || devicesOfTask(t).some((x) => x.kind === 'rbd' || x.backend === 'rbd'));
    let found = d.filter((t) => isCephfsTask(t, rbdAround));
    let path: string | undefined;
    if (found.length === 0) {
      // No Ceph frames (wchan shows the VFS caller, or no stacks): tasks waiting on one CephFS path.
      // Only a path group can do that: no CephFS path among the tasks' keys, no grouping to do.
      if (!d.some((t) => dKeys(t).some((k) => k.kind === 'path' && CEPHFS_PATH.test(k.key)))) return [];
      const g = clusterD(d.filter((t) => !allFamilies(t).has('nfs') && !allFamilies(t).has('rbd')), 1)
        .filter((x) => x.kind === 'path' && CEPHFS_PATH.test(x.key))
        .sort((a, b) => b.tasks.length - a.tasks.length || b.key.length - a.key.length)[0];
      if (!g) return [];
      found = g.tasks;
      path = g.key.slice('path:'.length);
    }
    const tasks = causeOrder(s, found);
    const rc = rootCauseOf(tasks);
    if (!path && rc?.startsWith('path:')) path = rc.slice(5);
    const others = waitersOnPath(s, path, new Set(tasks.map((t) => t.pid)), captureSet(s));
    const first = tasks[0];
    const pids = [...uniquePids(tasks), ...others.map((p) => p.pid)];
    const kthreads = tasks.filter((t) => t.kthread);
    const evidence: Evidence[] = tasks.slice(0, 12).map((t) => citeTask(s, t, describeTask(s, t), 'wchan'));
    if (tasks.length > 12) evidence.push({ text: `… and ${tasks.length - 12} more in D` });
    for (const p of others.slice(0, 6)) evidence.push(cite(s, p, `also stuck on it: ${describeProcess(s, p)}`, 'args'));
    const ws = tasks.find((t) => t.stack.length > 0);
    if (ws) evidence.push(citeTask(s, ws, `kernel stack of ${taskLabel(ws)}: ${stackLine(meaningfulFrames(ws.stack), 5)}`, 'stack'));
    const cephLines = kernelEvents(s, 'kernel.ceph');
    if (cephLines.length) {
      const input = kernelLogInputName(s);
      evidence.push({ text: `kernel: ${cephLines[cephLines.length - 1]}${cephLines.length > 1 ? ` (${cephLines.length} libceph/ceph lines)` : ''}`, ...(input ? { input } : {}) });
    }
    if (!tasks.some((t) => isCephfsTask(t, rbdAround))) evidence.push({ text: `no Ceph frames in the waits: tied to CephFS by the path ${path} (a ceph-csi subvolume); confirm with grep ceph /proc/mounts` });
    const reports = tasks.flatMap((t) => t.reports.filter((r) => r.source === 'hung-task').map((r) => ({ t, r })));
    evidence.push(...citeFirst(reports, ({ t, r }) => citeReport(s, r, `kernel: task ${r.comm}:${r.pid} blocked for more than ${r.blockedSec ?? '?'} seconds`, t.pid), (n) => `… and ${n} more hung-task reports`));
    const onlyOsd = tasks.length > 0 && tasks.every((t) => allFamilies(t).has('libceph') && !allFamilies(t).has('cephfs'));
    const vol = path ? /csi-vol-[0-9a-f-]+/.exec(path)?.[0] : undefined;
    return [{
      severity: tasks.length >= 10 || kthreads.length > 0 ? 'critical' : 'high',
      title: `${taskLabel(first)}${pids.length > 1 ? ` and ${plural(pids.length - 1, 'more process', 'more processes')}` : ''} stuck on CephFS${vol ? ` volume ${vol}` : path ? ` (${path})` : ''} — ${onlyOsd ? 'OSD requests' : 'the MDS/OSDs'} not answering`,
      pids,
      summary: `${plural(tasks.length, 'task')} in D${others.length ? ` and ${plural(others.length, 'more process', 'more processes')} in S` : ''} wait on CephFS. The MDS or the OSDs are not answering, so every access to the mount blocks (ls, stat, du and df too). Fix the Ceph side (MDS slow requests, down OSDs); the tasks then finish by themselves.`,
      evidence,
      next: [
        'cat /sys/kernel/debug/ceph/*/mdsc /sys/kernel/debug/ceph/*/osdc',
        'ceph health detail   # MDS slow requests, "clients failing to respond"',
        'ceph fs status; ceph daemon mds.X dump_ops_in_flight',
        `dmesg -T | grep -iE 'ceph|libceph|blocked for more'`,
        `cat /proc/${first.pid}/stack`,
        "grep ' ceph ' /proc/mounts",
      ],
      rootCause: rc && !rc.startsWith('wchan:') && !rc.startsWith('stack:') ? rc : 'fs:cephfs',
      explains: tasks.length + others.length,
    }];
  },
};
