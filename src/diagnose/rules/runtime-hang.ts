// P26 Container runtime hang (runc / containerd-shim / dockerd / kubelet) — HIGH. Evidence:
//   - `runc init`/`runc:[2:INIT]`/`runc exec|kill|delete|…` older than ~1 min (they take well under
//     a second when healthy): `10 6 S do_wait … 85 runc --root /run/containerd/runc/k8s.io … exec …`
//     waiting on `12 10 D hrtimer_nanosleep … runc init` frozen in its cgroup;
//   - a containerd-shim whose direct child is in D (`29702 29700 D fuse_direct_IO … java …`): the
//     shim cannot reap it, so every containerd call on that container waits.
// A shim blocked on a D or frozen task stalls containerd; PLEG relist then exceeds 3 min and the node
// goes NotReady (kubernetes#94829, moby#40817). Quiet: a paused container (all frozen, no runc
// waiting on it) is frozen-cgroup's finding alone; D grandchildren under a live child (a CSI
// plugin's mount) do not block the shim.
import type { Evidence, Process, Snapshot } from '../../model/index.ts';
import type { FindingDraft, Rule } from '../types.ts';
import {
  ageSec, missingStatesOrParents, ancestry, captureSet, cite, citeTask, describeProcess, describeTask, descendants, fmtDuration,
  isFrozen, isIdleKernelWait, isShim, pidLookup, plural, procLabel, rootCauseOf, tasksOfProcess,
  type Task,
} from '../facts.ts';
import { isRunc, runcOp, maxOf } from '../facts-moments.ts';

const OLD_SEC = 60;

function dTasksOf(s: Snapshot, pid: number): Task[] {
  return tasksOfProcess(s, pid).filter((t) => t.state === 'D' && !isIdleKernelWait(t));
}

/** frozen-cgroup's key for a frozen task: its cgroup when ps showed one, else its nearest shim. */
function frozenKey(t: Task, shimPid: number): string {
  const cg = t.proc.extra?.CGROUP ?? t.proc.extra?.cgroup;
  return cg ? `cgroup:${cg}` : `shim:${shimPid}`;
}

export const rule: Rule = {
  id: 'runtime-hang',
  pattern: 'P26',
  catches: 'a stuck container runtime: runc init/exec/kill older than a minute, or a containerd-shim whose container process is in D',
  needsText: 'the process tree with states and ages (ps -eo pid,ppid,stat,wchan:32,etimes,args or ps -afe --forest with ps -o etimes)',
  missing: missingStatesOrParents,
  evaluate(ctx) {
    const s = ctx.current;
    const byPid = pidLookup(s);
    const cap = captureSet(s);
    const out: FindingDraft[] = [];
    const covered = new Set<number>();
    for (const shim of s.processes) {
      if (!isShim(shim) || cap.has(shim.pid)) continue;
      // Nested shims (docker-containerd-shim under containerd-shim): the innermost decides.
      const sub = descendants(shim.pid, byPid).slice(1).map((p) => byPid.get(p)!).filter((p) => p && !isShim(p) && !cap.has(p.pid));
      const runcs = sub.filter(isRunc);
      const dKids = shim.children.map((c) => byPid.get(c)).filter((c): c is Process => c !== undefined && !isRunc(c) && dTasksOf(s, c.pid).length > 0);
      const oldRunc = runcs.filter((r) => (ageSec(r, s) ?? 0) > OLD_SEC);
      const liveD = dKids.filter((c) => dTasksOf(s, c.pid).some((t) => !isFrozen(t)));
      if (oldRunc.length === 0 && liveD.length === 0) continue;
      for (const r of runcs) covered.add(r.pid);
      out.push(finding(s, shim, dKids, runcs, oldRunc));
    }
    // runc with no shim above it (docker → containerd → runc, or a bare runc): only the old ones.
    const loose = s.processes.filter((p) => isRunc(p) && !covered.has(p.pid) && !cap.has(p.pid) && (ageSec(p, s) ?? 0) > OLD_SEC &&
      !ancestry(p.pid, byPid).slice(1).some((a) => { const q = byPid.get(a); return q !== undefined && isShim(q); }));
    if (loose.length) out.push(finding(s, undefined, [], loose, loose));
    return out;
  },
};

function finding(s: Snapshot, shim: Process | undefined, dKids: Process[], runcs: Process[], oldRunc: Process[]): FindingDraft {
  const runcSorted = [...runcs].sort((a, b) => a.pid - b.pid);
  const kidsSorted = [...dKids].sort((a, b) => a.pid - b.pid);
  const dTasks = [...kidsSorted, ...runcSorted].flatMap((p) => dTasksOf(s, p.pid));
  const frozen = dTasks.filter(isFrozen);
  const allFrozen = dTasks.length > 0 && frozen.length === dTasks.length;
  const ev: Evidence[] = [];
  if (shim) ev.push(cite(s, shim, `shim: ${describeProcess(s, shim)}`, 'args'));
  for (const p of kidsSorted.slice(0, 6)) for (const t of dTasksOf(s, p.pid).slice(0, 2)) {
    ev.push(citeTask(s, t, `container process in D: ${describeTask(s, t)}${isFrozen(t) ? ' (frozen by the cgroup freezer)' : ''}`, 'wchan'));
  }
  for (const r of runcSorted.slice(0, 10)) {
    const age = ageSec(r, s);
    const d = dTasksOf(s, r.pid);
    const frozenNote = d.some(isFrozen) ? ' — frozen' : d.length ? ' — in D' : '';
    ev.push(cite(s, r, `runc ${runcOp(r)}: ${describeProcess(s, r)}${age !== undefined && age > OLD_SEC ? ` (older than ${OLD_SEC}s)` : ''}${frozenNote}`, 'stat'));
  }
  if (runcSorted.length > 10) ev.push({ text: `… and ${runcSorted.length - 10} more runc processes` });
  const ops = new Map<string, number>();
  for (const r of runcSorted) ops.set(runcOp(r), (ops.get(runcOp(r)) ?? 0) + 1);
  const oldest = maxOf(oldRunc.map((r) => ageSec(r, s) ?? 0));
  const execs = runcSorted.filter((r) => runcOp(r) === 'exec');
  if (execs.length >= 2) ev.push({ text: `${plural(execs.length, 'runc exec')} piled up under one shim: exec probes or kubectl exec calls that never finish` });
  const shimLabel = shim ? procLabel(shim) : 'runc';
  let title: string;
  if (oldRunc.length) {
    const opTxt = [...ops.entries()].filter(([op]) => op !== 'init').map(([op, n]) => `${n}× runc ${op}`).join(', ') || `${ops.get('init') ?? runcs.length}× runc init`;
    const inits = runcSorted.filter((r) => runcOp(r) === 'init');
    const initTxt = inits.length ? ` waiting on runc init ${inits.some((r) => dTasksOf(s, r.pid).some(isFrozen)) ? 'frozen in D' : inits.some((r) => dTasksOf(s, r.pid).length) ? 'in D' : 'that never finishes'}` : '';
    title = `${shimLabel} is stuck: ${opTxt}${initTxt}, up to ${fmtDuration(oldest)} old — containerd calls on this container hang`;
  } else {
    title = `${shimLabel} has its container ${kidsSorted.length === 1 ? 'process' : 'processes'} ${kidsSorted.slice(0, 3).map(procLabel).join(', ')} in D — the shim cannot reap ${kidsSorted.length === 1 ? 'it' : 'them'}; containerd and kubelet calls on this pod hang`;
  }
  const firstRunc = runcSorted.find((r) => runcOp(r) !== 'init') ?? runcSorted[0];
  const stackPid = (dTasks[0]?.pid ?? firstRunc?.pid);
  const next: string[] = [
    shim ? `ps -o pid,ppid,stat,etimes,wchan:32,args --ppid ${shim.pid}; pstree -p ${shim.pid}` : 'ps -afe --forest | grep -B2 -A6 runc',
    ...(stackPid !== undefined ? [`cat /proc/${stackPid}/stack`] : []),
    "journalctl -u kubelet --since -15min | grep -E 'PLEG|context deadline exceeded'",
    'journalctl -u containerd --since -15min | tail -50',
    'timeout 10 crictl ps -a',
  ];
  if (allFrozen) next.push('cat /sys/fs/cgroup/freezer/CGROUP_PATH/freezer.state   # v1; v2: cgroup.freeze — thaw it, then the runc processes finish');
  const killable = runcSorted.filter((r) => runcOp(r) !== 'init' && dTasksOf(s, r.pid).length === 0);
  if (killable.length) next.push(`kill -9 ${killable.slice(0, 10).map((r) => r.pid).join(' ')}   # the hung runc ${[...new Set(killable.map(runcOp))].join('/')} (not in D): killing it restored service in moby#40817`);
  if (dTasks.some((t) => !isFrozen(t))) next.push('fix what the D tasks wait on first (storage, a mount): D tasks do not die on SIGKILL, and restarting containerd does not unblock them');
  next.push('then: systemctl restart containerd (or docker), or kubectl drain NODE --ignore-daemonsets');
  const pids = [...(shim ? [shim.pid] : []), ...kidsSorted.map((p) => p.pid), ...runcSorted.map((p) => p.pid)];
  return {
    severity: 'high',
    title,
    pids: pids.filter((x, i) => pids.indexOf(x) === i),
    summary: 'A container runtime operation is not finishing. The shim waits on a task that cannot move (in D, or frozen by the cgroup freezer), so containerd waits on the shim, and every container operation behind it (exec probes, stop, delete) stalls; kubelet\'s PLEG relist then exceeds 3 minutes and the node goes NotReady. ' +
      'Fix or thaw what the stuck task waits on; hung runc processes that are not in D can be killed.',
    evidence: ev,
    next,
    rootCause: allFrozen && shim ? frozenKey(frozen[0], shim.pid) : rootCauseOf(dTasks.filter((t) => !isFrozen(t))) ?? (shim ? `shim:${shim.pid}` : 'runc'),
    explains: pids.length,
  };
}
