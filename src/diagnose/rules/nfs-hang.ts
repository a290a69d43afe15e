// P03 NFS hard-mount hang — HIGH/CRIT. D tasks in RPC/NFS waits (`rpc_wait_bit_killable`,
// `nfs_wait_bit_killable`, `__rpc_execute`, nfs_*/nfs4_*), or the kernel saying
// `nfs: server batalix not responding, still trying` while tasks sit in D on one place and `df`
// hangs (it stats every mount). A hard mount retries forever. The RPC waits are TASK_KILLABLE, so
// there is often no hung-task line ("No dmesg ≠ not hung"), and kill -9 does work on them.
import type { Evidence, Process, Snapshot } from '../../model/index.ts';
import type { Rule } from '../types.ts';
import {
  allFamilies, CAPTURE, cite, captureSet, causeOrder, citeFirst, citeReport, citeTask, clusterD, describeProcess,
  describeTask, devicesOfTask, dTasks, hasStates, hasWaits, isFrozen, kernelEvents, kernelLogInputName, killableKind,
  meaningfulFrames, plural, rootCauseOf, stackLine, taskLabel, uniquePids, waitersOnPath, type Task,
} from '../facts.ts';

const OTHER_STORAGE = ['rbd', 'libceph', 'cephfs', 'fuse', 'reclaim', 'refrigerator'] as const;

function isNfsTask(t: Task): boolean {
  return allFamilies(t).has('nfs') || devicesOfTask(t).some((d) => d.backend === 'nfs');
}

/** With the kernel saying the server is gone: the D tasks that share one place (preferring a path with "nfs" in it). */
function victimsOfDeadServer(s: Snapshot): { tasks: Task[]; path?: string } {
  const others = dTasks(s).filter((t) => !isFrozen(t) && killableKind(t) !== 'vfork' && devicesOfTask(t).length === 0 &&
    !OTHER_STORAGE.some((f) => allFamilies(t).has(f)));
  if (others.length === 0) return { tasks: [] };
  const groups = clusterD(others, 1).filter((g) => g.kind === 'path');
  const g = groups.find((x) => /\/[^/]*nfs[^/]*(?:\/|$)/i.test(x.key)) ?? (groups.length === 1 ? groups[0] : undefined);
  return g ? { tasks: g.tasks, path: g.key.slice('path:'.length) } : { tasks: [] };
}

export const rule: Rule = {
  id: 'nfs-hang',
  pattern: 'P03',
  catches: 'NFS hard-mount hang: D tasks in rpc_wait_bit_killable / nfs_wait_bit_killable / __rpc_execute / nfs_* frames, or "nfs: server … not responding" with tasks stuck on one mount',
  needsText: 'process states with wchan or kernel stacks (ps -eLo pid,tid,stat,wchan:32,args; /proc/PID/stack), or dmesg with the "not responding" line',
  missing(ctx) {
    const s = ctx.current;
    if (!hasStates(s)) return CAPTURE.states;
    if (!hasWaits(s) && kernelEvents(s, 'kernel.nfs').length === 0) return CAPTURE.waits;
    return null;
  },
  evaluate(ctx) {
    const s = ctx.current;
    const lines = kernelEvents(s, 'kernel.nfs');
    const lastLine = lines[lines.length - 1] ?? '';
    const notResponding = /not responding/i.test(lastLine);
    let d = dTasks(s).filter((t) => !isFrozen(t) && isNfsTask(t));
    let path: string | undefined;
    if (d.length === 0 && notResponding) ({ tasks: d, path } = victimsOfDeadServer(s));
    if (d.length === 0) return [];
    const tasks = causeOrder(s, d);
    if (!path) path = rootCauseOf(tasks)?.startsWith('path:') ? rootCauseOf(tasks)!.slice(5) : undefined;
    // `df` (every mount) and others stuck on that path in S: the classic first symptom.
    const statters: Process[] = waitersOnPath(s, path, new Set(tasks.map((t) => t.pid)), captureSet(s));
    const first = tasks[0];
    const pids = [...uniquePids(tasks), ...statters.map((p) => p.pid)];
    const server = /server\s+(\S+)\s+not responding/i.exec(lastLine)?.[1];
    const killable = tasks.filter((t) => killableKind(t) === 'nfs').length;
    const evidence: Evidence[] = [];
    if (lines.length) {
      const input = kernelLogInputName(s);
      evidence.push({ text: `kernel: ${lastLine}${lines.length > 1 ? ` (${lines.length} NFS lines)` : ''}`, ...(input ? { input } : {}) });
    }
    for (const t of tasks.slice(0, 12)) evidence.push(citeTask(s, t, describeTask(s, t), 'wchan'));
    if (tasks.length > 12) evidence.push({ text: `… and ${tasks.length - 12} more in D` });
    for (const p of statters.slice(0, 5)) evidence.push(cite(s, p, `also stuck on it: ${describeProcess(s, p)}`, 'args'));
    const ws = tasks.find((t) => t.stack.length > 0 && isNfsTask(t));
    if (ws) evidence.push(citeTask(s, ws, `kernel stack of ${taskLabel(ws)}: ${stackLine(meaningfulFrames(ws.stack), 5)}`, 'stack'));
    if (!tasks.some(isNfsTask)) evidence.push({ text: `no NFS frames in the wait channels: the tasks are tied to NFS by the kernel line and by waiting on one place${path ? ` (${path})` : ''}; confirm with grep nfs /proc/mounts` });
    if (killable > 0) evidence.push({ text: `${plural(killable, 'task')} in a killable RPC wait: the kernel never prints hung-task reports for these` });
    const reports = tasks.flatMap((t) => t.reports.filter((r) => r.source === 'hung-task').map((r) => ({ t, r })));
    evidence.push(...citeFirst(reports, ({ t, r }) => citeReport(s, r, `kernel: task ${r.comm}:${r.pid} blocked for more than ${r.blockedSec ?? '?'} seconds`, t.pid), (n) => `… and ${n} more hung-task reports`));
    const rc = rootCauseOf(tasks);
    return [{
      severity: tasks.length >= 10 ? 'critical' : 'high',
      title: `${taskLabel(first)}${pids.length > 1 ? ` and ${plural(pids.length - 1, 'more process', 'more processes')}` : ''} stuck on NFS${path ? ` (${path})` : ''} — ${server ? `server ${server} not responding` : 'the server is not answering'} (hard mount)`,
      pids,
      summary: `${plural(tasks.length, 'task')} in D${statters.length ? ` and ${plural(statters.length, 'hanging df/ls')}` : ''} wait on NFS. A hard mount retries forever, so anything touching it (df, ls, shells, probes) hangs, and it spreads (kubelet PLEG, liveness probes). Restore the server or the network. RPC waits are killable: kill -9 works on them, and the kernel prints no hung-task report for them.`,
      evidence,
      next: [
        "grep -E ' nfs4? ' /proc/mounts",
        "dmesg -T | grep -i 'not responding'",
        `rpcinfo -p ${server ?? 'NFS_SERVER'}; showmount -e ${server ?? 'NFS_SERVER'}`,
        'nfsstat -c',
        'df -x nfs -x nfs4   # df that skips NFS and does not hang',
        `cat /proc/${first.pid}/stack`,
        `escape hatch once the server is gone for good: umount -f ${path ?? 'MOUNTPOINT'}, then umount -l ${path ?? 'MOUNTPOINT'}`,
      ],
      rootCause: rc && !rc.startsWith('wchan:') && !rc.startsWith('stack:') ? rc : 'fs:nfs',
      explains: tasks.length + statters.length,
    }];
  },
};
