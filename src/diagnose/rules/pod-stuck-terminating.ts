// P27 Pod stuck Terminating because of a D task — HIGH. Processes under a container's shim in D
// (`29702 29700 D fuse_direct_IO … java -Xmx2g -jar /app/orders.jar`) do not die on SIGKILL, so the
// runtime never sees an exit and `crictl stop`/`docker kill` hang (kubernetes#25456, moby#37886).
// HIGH when every live process of the container is in D (nothing left that could exit); LOW when
// the pod still has live processes beside the D ones: it would hang Terminating if deleted (a CSI
// plugin pod whose `mount` child is stuck cannot be restarted), but nothing says it is being deleted.
// Quiet: frozen tasks (P08, a pause), killable vfork waits, a single-moment short D (§4 transient D),
// and any D outside a shim's subtree (a PID-namespace capture has no pod).
import type { Evidence, Process, Snapshot } from '../../model/index.ts';
import type { FindingDraft, Rule, RuleContext } from '../types.ts';
import {
  ageSec, missingStatesOrParents, captureSet, causeOrder, cite, citeReport, citeTask, describeProcess, describeTask, descendants, dPersistence,
  dTasks, fmtDuration, isFrozen, isKthread, isShim, killableKind, pidLookup, plural, procLabel,
  rootCauseOf, taskLabel, uniquePids, waitSymbol, type Task,
} from '../facts.ts';
import { isRunc } from '../facts-moments.ts';

const WEAK_AGE = 120;

/** A D task that is not passing: the kernel reported it, it is D in ≥2 moments, or (weakly) its process is old. */
function stuck(ctx: RuleContext, s: Snapshot, t: Task): string | null {
  if (t.reports.some((r) => r.source === 'hung-task')) return 'hung-task report';
  const p = dPersistence(ctx.ingest, ctx.snapshots, t);
  if (p.persistent) return `D in ${p.inD} moments${p.spanSec !== undefined ? ` over ${fmtDuration(p.spanSec)}` : ''}${p.ctxtUnchanged ? ', context switches unchanged' : ''}`;
  const age = ageSec(t.proc, s);
  if (age !== undefined && age >= WEAK_AGE) return `D, process up ${fmtDuration(age)} (one moment: weak)`;
  return null;
}

/** `-id fb7e3725bc8c…` of a containerd shim, or conmon's `-c`: the container or sandbox id. */
function shimId(shim: Process): string | undefined {
  const m = /\s(?:-id|--id|-c|--cid)\s+([0-9a-f]{12,64})/.exec(shim.args ?? '');
  return m ? m[1] : undefined;
}

export const rule: Rule = {
  id: 'pod-stuck-terminating',
  pattern: 'P27',
  catches: 'container processes under a shim stuck in D: SIGKILL cannot end them, so the pod hangs Terminating (or would, if deleted)',
  needsText: 'the host process tree with states (ps -eo pid,ppid,stat,wchan:32,etimes,args) taken twice, or hung-task reports',
  missing: missingStatesOrParents,
  evaluate(ctx) {
    const s = ctx.current;
    const byPid = pidLookup(s);
    const cap = captureSet(s);
    const dByPid = new Map<number, Task[]>();
    for (const t of dTasks(s)) {
      if (t.kernelOnly || isFrozen(t) || killableKind(t) === 'vfork') continue;
      const l = dByPid.get(t.pid);
      if (l) l.push(t); else dByPid.set(t.pid, [t]);
    }
    if (dByPid.size === 0) return [];
    const out: FindingDraft[] = [];
    for (const shim of s.processes) {
      if (!isShim(shim)) continue;
      // Inner shims report their own subtree.
      const sub = descendants(shim.pid, byPid).slice(1).map((p) => byPid.get(p)!)
        .filter((p) => p && !cap.has(p.pid) && !isKthread(s, p) && !isRunc(p) && !isShim(p));
      const inner = new Set<number>();
      for (const p of descendants(shim.pid, byPid).slice(1)) {
        const q = byPid.get(p);
        if (q && isShim(q)) for (const x of descendants(q.pid, byPid)) inner.add(x);
      }
      const mine = sub.filter((p) => !inner.has(p.pid));
      const found: Array<{ t: Task; why: string }> = [];
      for (const p of mine) for (const t of dByPid.get(p.pid) ?? []) {
        const why = stuck(ctx, s, t);
        if (why) found.push({ t, why });
      }
      if (found.length === 0) continue;
      out.push(finding(s, shim, mine, found));
    }
    return out;
  },
};

function finding(s: Snapshot, shim: Process, procs: Process[], found: Array<{ t: Task; why: string }>): FindingDraft {
  const tasks = causeOrder(s, found.map((f) => f.t));
  const why = new Map(found.map((f) => [f.t, f.why]));
  const pids = uniquePids(tasks);
  const dSet = new Set(pids);
  // `/pause` is the sandbox, not a workload; zombies are already gone as far as the runtime cares.
  const live = procs.filter((p) => p.state !== 'Z' && !/(?:^|\/)pause$/.test((p.args ?? '').trim().split(/\s+/)[0] ?? ''));
  const others = live.filter((p) => !dSet.has(p.pid));
  const allStuck = others.length === 0;
  const id = shimId(shim);
  const w = waitSymbol(tasks[0]);
  const ev: Evidence[] = [cite(s, shim, `shim: ${describeProcess(s, shim)}`, 'args')];
  for (const t of tasks.slice(0, 8)) {
    ev.push(citeTask(s, t, `${describeTask(s, t)} — ${why.get(t)}`, 'wchan'));
    const r = t.reports.find((x) => x.source === 'hung-task');
    if (r) ev.push(citeReport(s, r, `kernel: INFO: task ${r.comm}:${r.pid} blocked for more than ${r.blockedSec ?? '?'} seconds`, t.pid));
  }
  if (tasks.length > 8) ev.push({ text: `… and ${tasks.length - 8} more` });
  ev.push(allStuck
    ? { text: `no other live process under ${procLabel(shim)}: nothing in this container can exit until the D ${tasks.length === 1 ? 'task leaves' : 'tasks leave'} D`, pid: shim.pid }
    : { text: `still running under ${procLabel(shim)}: ${others.slice(0, 4).map(procLabel).join(', ')}${others.length > 4 ? ' …' : ''}`, pid: others[0].pid });
  const names = tasks.slice(0, 3).map(taskLabel).join(', ') + (tasks.length > 3 ? ' …' : '');
  const first = tasks[0];
  return {
    // Nothing says this pod is being deleted while it still has live processes: a warning, LOW.
    severity: allStuck ? 'high' : 'low',
    title: allStuck
      ? `Pod under ${procLabel(shim)} cannot terminate: ${names} stuck in D${w ? ` (${w})` : ''} — SIGKILL cannot end ${tasks.length === 1 ? 'it' : 'them'}`
      : `Pod under ${procLabel(shim)} would hang Terminating: ${names} stuck in D${w ? ` (${w})` : ''}`,
    pids,
    summary: `${plural(tasks.length, 'container task')} ${tasks.length === 1 ? 'is' : 'are'} in uninterruptible sleep. A task in D does not act on signals, SIGKILL included, so the container never exits, the runtime never sees an exit, and crictl stop / docker kill / the pod's deletion hang. ` +
      'kubectl delete --force only removes the API object; the processes stay on the node. Fix what they wait on (storage, a mount, a lock) and they exit by themselves.',
    evidence: ev,
    next: [
      "kubectl get pods -A -o wide --field-selector spec.nodeName=NODE | grep -E 'Terminating|ContainerCreating'",
      id ? `timeout 10 crictl ps -a | grep ${id.slice(0, 13)}; timeout 10 crictl inspect ${id.slice(0, 13)} | grep -iE '"pid"|state'` : 'timeout 10 crictl ps -a',
      `grep -E 'State|SigPnd|ShdPnd' /proc/${first.pid}/status   # a pending SIGKILL reads …0100 in SigPnd or ShdPnd`,
      `cat /proc/${first.pid}/stack /proc/${first.pid}/wchan`,
      'then classify the D wait: storage (rbd-io-hang, nfs-hang, cephfs-hang), a D cluster, a lock convoy',
      '# do not: kubectl delete --force (only the API object goes), restart kubelet/containerd (does not unblock D)',
    ],
    rootCause: rootCauseOf(tasks) ?? `pod:${shim.pid}`,
    explains: tasks.length,
  };
}
