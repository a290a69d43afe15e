// P08 Frozen tasks / stuck `runc init` — MED/HIGH. Tasks parked by the cgroup freezer show D with
// wchan `__refrigerator` (TASK_UNINTERRUPTIBLE before 6.1): `docker pause`, a runtime update or kill
// that never thawed. Public: `/usr/local/bin/runc init` in D for weeks with stack `__refrigerator`
// (runc#4481); `runc:[2:INIT]` in D (runc#3759). A stuck runc blocks the shim, containerd and crictl.
import type { Evidence, Process } from '../../model/index.ts';
import type { FindingDraft, Rule } from '../types.ts';
import {
  missingStatesOrWaits,
  cite, ancestorsOf, argv0, captureSet, causeOrder, citeTask, describeTask, groupBy, isFrozen,
  isShim, pidLookup, plural, procLabel, procName, tasksInStates, tasksOfProcess, taskLabel, uniquePids, type Task,
} from '../facts.ts';

function isRuncInit(p: Process): boolean {
  return procName(p).startsWith('runc:[') || /^(?:\S*\/)?runc\s+init\b/.test((p.args ?? '').trim());
}

const FREEZER = /refrig|freez/;

/** The wchan, a thread's wchan or the two innermost stack frames name the freezer (tested piece by piece: no string built per process). */
function namesFreezer(p: Process): boolean {
  if (p.wchan && FREEZER.test(p.wchan)) return true;
  for (const t of p.threads) if (t.wchan && FREEZER.test(t.wchan)) return true;
  const st = p.stack;
  return st !== undefined && st !== null && ((st.length > 0 && FREEZER.test(st[0])) || (st.length > 1 && FREEZER.test(st[1])));
}

export const rule: Rule = {
  id: 'frozen-cgroup',
  pattern: 'P08',
  catches: 'frozen tasks: D in __refrigerator (cgroup freezer, docker pause, a failed thaw) or a stuck runc init',
  needsText: 'per-thread states with wchan or stacks (ps -eLo pid,tid,stat,wchan:32,args); CGROUP column groups them by container',
  missing: missingStatesOrWaits,
  evaluate(ctx) {
    const s = ctx.current;
    const cap = captureSet(s);
    // D tasks, and S tasks whose wait names the freezer (cgroup v2 parks them in do_freezer_trap, S).
    const candidates = [...tasksInStates(s, 'D')];
    for (const p of s.processes) {
      if (p.state === 'D' || !namesFreezer(p)) continue;
      candidates.push(...tasksOfProcess(s, p.pid).filter((t) => t.state === 'S'));
    }
    const frozen = candidates.filter((t) => (t.kernelOnly || !cap.has(t.pid)) && isFrozen(t));
    if (frozen.length === 0) return [];
    const byPid = pidLookup(s);
    // Group by cgroup when ps showed one, else by the nearest shim (one container), else together.
    const key = (t: Task): string => {
      const cg = t.proc.extra?.CGROUP ?? t.proc.extra?.cgroup;
      if (cg) return `cgroup:${cg}`;
      const shim = ancestorsOf(s, t.pid).map((p) => byPid.get(p)).find((p) => p && isShim(p));
      return shim ? `shim:${shim.pid}` : 'freezer';
    };
    const out: FindingDraft[] = [];
    for (const [k, group] of groupBy(frozen, key)) {
      const tasks = causeOrder(s, group);
      const runc = tasks.filter((t) => isRuncInit(t.proc));
      // Oldest first: the container's own process was frozen before the runc inits that try to exec into it.
      const ordered = tasks;
      const first = ordered[0];
      const pids = uniquePids(ordered);
      const longRunc = runc.some((t) => (t.proc.elapsedSec ?? 0) > 60);
      const evidence: Evidence[] = ordered.slice(0, 12).map((t) => citeTask(s, t, describeTask(s, t), 'wchan'));
      if (ordered.length > 12) evidence.push({ text: `… and ${ordered.length - 12} more` });
      if (k.startsWith('shim:')) {
        const shim = byPid.get(Number(k.slice(5)));
        if (shim) evidence.push(cite(s, shim, `all under ${procLabel(shim)}: one container`, 'args'));
      } else if (k.startsWith('cgroup:')) evidence.push({ text: `all in cgroup ${k.slice(7)}` });
      if (runc.length) evidence.push({ text: `${runc.map(taskLabel).join(', ')} is the runtime's init, frozen before the container started: containerd and crictl calls on it will hang` });
      const where = k.startsWith('cgroup:') ? ` in ${k.slice(7)}` : '';
      out.push({
        severity: longRunc || ordered.length >= 10 ? 'high' : 'medium',
        title: runc.length
          ? `${taskLabel(first)} and ${plural(runc.length, 'runc init')} frozen by the cgroup freezer — exec into the container hangs on a frozen cgroup`
          : `${plural(ordered.length, 'task')} frozen by the cgroup freezer${where} (${taskLabel(first)} first) — a paused container or a failed thaw`,
        pids,
        summary: 'These tasks are parked by the cgroup freezer (docker pause, a runtime update/kill that froze the cgroup). Before 6.1 __refrigerator sleeps uninterruptibly, so they show as D and add to load. Check the freezer state and thaw it; a failed thaw or a stuck runc blocks the shim, containerd and crictl.',
        evidence,
        next: [
          `cat /proc/${first.pid}/cgroup`,
          'cat /sys/fs/cgroup/CGROUP_PATH/cgroup.freeze /sys/fs/cgroup/CGROUP_PATH/cgroup.events   # v2',
          'cat /sys/fs/cgroup/freezer/CGROUP_PATH/freezer.state   # v1',
          "docker ps --filter status=paused; docker unpause CONTAINER",
          'echo 0 > /sys/fs/cgroup/CGROUP_PATH/cgroup.freeze   # thaw (v2); v1: echo THAWED > …/freezer.state',
          'echo w > /proc/sysrq-trigger; dmesg -T | tail -200   # what runc maintainers ask for',
          ...(runc.length ? [`ps -o pid,ppid,stat,etimes,wchan:32,args -p ${runc.map((t) => t.pid).join(',')}; ps -afe --forest | grep -B2 -A5 ${argv0(first.proc.args) || 'runc'}`] : []),
        ],
        rootCause: k === 'freezer' ? 'freezer' : k,
        explains: ordered.length,
      });
    }
    return out;
  },
};
