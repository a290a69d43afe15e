// P03 NFS hard-mount hang — HIGH/CRIT. D tasks in RPC/NFS waits (`rpc_wait_bit_killable`,
// `nfs_wait_bit_killable`, `__rpc_execute`, nfs_*/nfs4_*): a hard mount retries forever. The RPC
// waits are TASK_KILLABLE, so there is often no hung-task line ("No dmesg ≠ not hung"), and kill -9
// does work on them — unlike other D tasks.
import type { Evidence } from '../../model/index.ts';
import type { Rule } from '../types.ts';
import {
  allFamilies, CAPTURE, causeOrder, citeReport, citeTask, describeTask, devicesOfTask, dTasks, hasStates, hasWaits,
  isFrozen, killableKind, meaningfulFrames, plural, stackLine, taskLabel, uniquePids,
} from '../facts.ts';

export const rule: Rule = {
  id: 'nfs-hang',
  pattern: 'P03',
  catches: 'NFS hard-mount hang: D tasks in rpc_wait_bit_killable / nfs_wait_bit_killable / __rpc_execute / nfs_* frames',
  needsText: 'process states with wchan or kernel stacks (ps -eLo pid,tid,stat,wchan:32,comm; /proc/PID/stack)',
  missing(ctx) {
    const s = ctx.current;
    if (!hasStates(s)) return CAPTURE.states;
    if (!hasWaits(s)) return CAPTURE.waits;
    return null;
  },
  evaluate(ctx) {
    const s = ctx.current;
    const tasks = causeOrder(s, dTasks(s).filter((t) => !isFrozen(t) &&
      (allFamilies(t).has('nfs') || devicesOfTask(t).some((d) => d.backend === 'nfs'))));
    if (tasks.length === 0) return [];
    const first = tasks[0];
    const pids = uniquePids(tasks);
    const killable = tasks.filter((t) => killableKind(t) === 'nfs').length;
    const evidence: Evidence[] = tasks.slice(0, 12).map((t) => citeTask(s, t, describeTask(s, t), 'wchan'));
    if (tasks.length > 12) evidence.push({ text: `… and ${tasks.length - 12} more` });
    const ws = tasks.find((t) => t.stack.length > 0);
    if (ws) evidence.push(citeTask(s, ws, `kernel stack of ${taskLabel(ws)}: ${stackLine(meaningfulFrames(ws.stack), 5)}`, 'stack'));
    if (killable > 0) evidence.push({ text: `${plural(killable, 'task')} in a killable RPC wait: the kernel never prints hung-task reports for these` });
    for (const t of tasks) for (const r of t.reports) if (r.source === 'hung-task') evidence.push(citeReport(s, r, `kernel: task ${r.comm}:${r.pid} blocked for more than ${r.blockedSec ?? '?'} seconds (queued behind the RPC waiters)`, t.pid));
    return [{
      severity: tasks.length >= 10 ? 'critical' : 'high',
      title: `${taskLabel(first)}${pids.length > 1 ? ` and ${plural(pids.length - 1, 'more process', 'more processes')}` : ''} stuck in D on NFS — the server is not responding (hard mount)`,
      pids,
      summary: `${plural(tasks.length, 'task')} wait on NFS RPCs. A hard mount retries forever, so anything touching it (df, ls, shells, probes) hangs and it spreads (kubelet PLEG, liveness probes). Restore the server or the network. The RPC waits are killable: kill -9 works, and no hung-task line is printed for them.`,
      evidence,
      next: [
        "grep -E ' nfs4? ' /proc/mounts",
        "dmesg -T | grep -i 'not responding'",
        'rpcinfo -p NFS_SERVER; showmount -e NFS_SERVER',
        'nfsstat -c',
        'df -x nfs -x nfs4',
        `cat /proc/${first.pid}/stack`,
        'escape hatch once the server is gone for good: umount -f MOUNTPOINT, then umount -l MOUNTPOINT',
      ],
      rootCause: 'fs:nfs',
      explains: tasks.length,
    }];
  },
};
