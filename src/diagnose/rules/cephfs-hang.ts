// P02 CephFS kernel-client hang — HIGH/CRIT. D tasks in ceph_* client frames (ceph_mdsc_do_request,
// cap waits) or in libceph OSD requests with no RBD device in sight: the MDS or OSDs are not
// answering. RBD hangs (libceph frames beside /dev/rbdN) are P01's.
import type { Evidence } from '../../model/index.ts';
import type { Rule } from '../types.ts';
import {
  allFamilies, CAPTURE, causeOrder, citeReport, citeTask, describeTask, devicesOfTask, dTasks, hasStates, hasWaits,
  isFrozen, meaningfulFrames, plural, stackLine, taskLabel, uniquePids, type Task,
} from '../facts.ts';

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
  catches: 'CephFS kernel-client hang: D tasks in ceph_* client frames (MDS requests, cap waits) or OSD requests without an RBD device',
  needsText: 'process states with wchan or kernel stacks (ps -eLo pid,tid,stat,wchan:32,comm; /proc/PID/stack; hung-task reports)',
  missing(ctx) {
    const s = ctx.current;
    if (!hasStates(s)) return CAPTURE.states;
    if (!hasWaits(s)) return CAPTURE.waits;
    return null;
  },
  evaluate(ctx) {
    const s = ctx.current;
    const d = dTasks(s).filter((t) => !isFrozen(t));
    const rbdAround = d.some((t) => allFamilies(t).has('rbd') || devicesOfTask(t).some((x) => x.kind === 'rbd' || x.backend === 'rbd'));
    const tasks = causeOrder(s, d.filter((t) => isCephfsTask(t, rbdAround)));
    if (tasks.length === 0) return [];
    const first = tasks[0];
    const pids = uniquePids(tasks);
    const kthreads = tasks.filter((t) => t.kthread);
    const evidence: Evidence[] = tasks.slice(0, 12).map((t) => citeTask(s, t, describeTask(s, t), 'wchan'));
    if (tasks.length > 12) evidence.push({ text: `… and ${tasks.length - 12} more` });
    const ws = tasks.find((t) => t.stack.length > 0);
    if (ws) evidence.push(citeTask(s, ws, `kernel stack of ${taskLabel(ws)}: ${stackLine(meaningfulFrames(ws.stack), 5)}`, 'stack'));
    for (const t of tasks) for (const r of t.reports) if (r.source === 'hung-task') evidence.push(citeReport(s, r, `kernel: task ${r.comm}:${r.pid} blocked for more than ${r.blockedSec ?? '?'} seconds`, t.pid));
    const onlyOsd = tasks.every((t) => !allFamilies(t).has('cephfs'));
    return [{
      severity: tasks.length >= 10 || kthreads.length > 0 ? 'critical' : 'high',
      title: `${taskLabel(first)}${pids.length > 1 ? ` and ${plural(pids.length - 1, 'more process', 'more processes')}` : ''} stuck in D in the Ceph client — ${onlyOsd ? 'OSD requests' : 'CephFS (MDS/OSD)'} not answering`,
      pids,
      summary: `${plural(tasks.length, 'task')} wait in the kernel Ceph client${onlyOsd ? ' for OSD requests' : ' (MDS requests or capabilities)'}. The MDS or the OSDs are not answering; every access to the mount blocks (ls, stat and df too). Fix the Ceph side; the tasks then finish.`,
      evidence,
      next: [
        'cat /sys/kernel/debug/ceph/*/mdsc /sys/kernel/debug/ceph/*/osdc',
        'ceph health detail   # MDS slow requests, "clients failing to respond"',
        'ceph daemon mds.X dump_ops_in_flight',
        `dmesg -T | grep -iE 'ceph|libceph|blocked for more'`,
        `cat /proc/${first.pid}/stack`,
        "grep ' ceph ' /proc/mounts",
      ],
      rootCause: 'fs:cephfs',
      explains: tasks.length,
    }];
  },
};
