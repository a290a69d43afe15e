// P06 Long-running D / hung task — HIGH (CRIT with filesystem kernel threads or ≥10 tasks).
// A D task is hung when (a) the kernel printed `INFO: task NAME:PID blocked for more than N seconds`,
// (b) it is D in two moments ≥10 s apart with voluntary+nonvoluntary context switches unchanged
// (khungtaskd's own test), or (c) weakly, D in every moment and older than 120 s.
// Quiet on purpose: a single-sample D ("Process age ≠ time in D"), killable waits — the vfork parent
// and NFS RPC waits, which khungtaskd skips ("use "==" to skip the TASK_KILLABLE tasks waiting on
// NFS") and P10/P03 explain — idle kernel threads, frozen tasks (P08) and the capture itself.
import type { Evidence, Snapshot } from '../../model/index.ts';
import type { Rule, RuleContext } from '../types.ts';
import {
  ageSec, causeOrder, citeFirst, citeReport, citeTask, describeTask, dPersistence, dTasks, fmtDuration, hasAges, hasKernelLog,
  isFrozen, killableKind, labelList, meaningfulFrames, plural, provides, rootCauseOf, stackLine, taskLabel, uniquePids, type Task, maxOf,
} from '../facts.ts';

const MIN_GAP = 10;        // heuristics.md P06 (b): two captures ≥10 s apart
const WEAK_AGE = 120;      // default hung_task_timeout_secs
const WARNINGS = 10;       // default hung_task_warnings

type Why = { kind: 'kernel'; blocked: number } | { kind: 'ctxt'; span?: number; ctxt: number } | { kind: 'age'; age: number };

function why(ctx: RuleContext, s: Snapshot, t: Task): Why | null {
  const reports = t.reports.filter((r) => r.source === 'hung-task');
  if (reports.length > 0) return { kind: 'kernel', blocked: maxOf(reports.map((r) => r.blockedSec ?? 0)) };
  const k = killableKind(t);
  if (k === 'vfork' || k === 'nfs') return null;
  if (t.kernelOnly) return null;
  const p = dPersistence(ctx.ingest, ctx.snapshots, t);
  if (!p.persistent) return null;
  if (p.ctxtUnchanged === true && (p.spanSec === undefined || p.spanSec >= MIN_GAP)) {
    return { kind: 'ctxt', ctxt: p.ctxt[0], ...(p.spanSec !== undefined ? { span: p.spanSec } : {}) };
  }
  const age = ageSec(t.proc, s);
  if (p.ctxtUnchanged !== false && p.inD === p.seen && age !== undefined && age >= WEAK_AGE) return { kind: 'age', age };
  return null;
}

function isFsKernelThread(t: Task): boolean {
  return t.kthread && /^\[?(?:jbd2\/|xfsaild|xfs-|kworker\/.*(?:flush|writeback)|btrfs-|ext4-|rbd\d+-tasks|kjournald)/.test(t.comm);
}

export const rule: Rule = {
  id: 'hung-task',
  pattern: 'P06',
  catches: 'D tasks that are really hung: a kernel "blocked for more than N seconds" report, or D across captures ≥10 s apart with unchanged context switches',
  needsText: 'a kernel log with hung-task reports (dmesg -T), or two captures ≥10 s apart of /proc/PID/status (ctxt switches) or ps with etimes',
  missing(ctx) {
    const s = ctx.current;
    if (hasKernelLog(s)) return null;
    if (ctx.snapshots.length >= 2 && (provides(s, 'ctxtVoluntary') || hasAges(s))) return null;
    return 'no kernel log and only one moment: capture `dmesg -T | grep -A40 "blocked for more"` and `grep ctxt /proc/PID/status` twice ≥10 s apart (or `ps -eo pid,stat,etimes,wchan:32,args` twice)';
  },
  evaluate(ctx) {
    const s = ctx.current;
    const hung: Array<{ t: Task; why: Why }> = [];
    for (const t of dTasks(s)) {
      if (isFrozen(t)) continue;
      const w = why(ctx, s, t);
      if (w) hung.push({ t, why: w });
    }
    if (hung.length === 0) return [];
    // Kernel-reported first (longest blocked first), then unchanged switches, then the weak bound;
    // within each, cause order (journal/flush kthreads, oldest, PID).
    const rank = (w: Why) => (w.kind === 'kernel' ? 0 : w.kind === 'ctxt' ? 1 : 2);
    const ordered = causeOrder(s, hung.map((h) => h.t));
    const pos = new Map(ordered.map((t, i) => [t, i]));
    hung.sort((a, b) => rank(a.why) - rank(b.why) ||
      (a.why.kind === 'kernel' && b.why.kind === 'kernel' ? b.why.blocked - a.why.blocked : 0) || pos.get(a.t)! - pos.get(b.t)!);
    const tasks = hung.map((h) => h.t);
    const pids = uniquePids(tasks);
    const first = hung[0];
    const nKernel = hung.filter((h) => h.why.kind === 'kernel').length;
    const fsThreads = tasks.filter(isFsKernelThread);
    const evidence: Evidence[] = [];
    for (const { t, why: w } of hung.slice(0, 12)) {
      if (w.kind === 'kernel') {
        const r = t.reports.filter((x) => x.source === 'hung-task').sort((a, b) => (b.blockedSec ?? 0) - (a.blockedSec ?? 0))[0];
        evidence.push(citeReport(s, r, `kernel: INFO: task ${r.comm}:${r.pid} blocked for more than ${r.blockedSec ?? '?'} seconds${r.stack.length ? `; ${stackLine(meaningfulFrames(r.stack), 4)}` : ''}`, t.pid));
      } else if (w.kind === 'ctxt') {
        evidence.push(citeTask(s, t, `${describeTask(s, t)} — D in every moment${w.span !== undefined ? ` over ${fmtDuration(w.span)}` : ''}, context switches stuck at ${w.ctxt}`, 'ctxtVoluntary'));
      } else {
        evidence.push(citeTask(s, t, `${describeTask(s, t)} — D in every moment and up ${fmtDuration(w.age)} (weak: process age is not time in D)`, 'stat'));
      }
    }
    if (hung.length > 12) evidence.push({ text: `… and ${hung.length - 12} more` });
    const owned = hung.flatMap(({ t }) => t.reports.filter((r) => r.lockOwner).map((r) => ({ t, r, o: r.lockOwner! })));
    evidence.push(...citeFirst(owned, ({ t, r, o }) => citeReport(s, r, `kernel: task ${r.comm}:${r.pid} is blocked on a ${o.kind} likely owned by task ${o.comm}:${o.pid}${o.pid === r.pid ? ' — itself: a self-deadlock' : ''}`, t.pid),
      (n) => `… and ${n} more lock-owner lines`));
    const distinctReports = new Set(tasks.flatMap((t) => t.reports.filter((r) => r.source === 'hung-task').map((r) => r.line))).size;
    if (distinctReports >= WARNINGS) evidence.push({ text: `${distinctReports} hung-task reports: the kernel stops after hung_task_warnings (default 10), so more tasks may be hung than reported` });
    const killableStuck = hung.filter((h) => h.why.kind !== 'kernel' && killableKind(h.t) === 'other').length;
    if (killableStuck) evidence.push({ text: `${plural(killableStuck, 'task')} in a killable wait (the kernel never reports those) but they have not run at all between the moments` });
    const severity = fsThreads.length > 0 || hung.length >= 10 ? 'critical' : 'high';
    const label = first.why.kind === 'kernel' ? ` for >${first.why.blocked} s` : first.why.kind === 'ctxt' && first.why.span !== undefined ? ` for ≥${fmtDuration(first.why.span)}` : '';
    const how = [nKernel ? 'kernel hung-task reports' : '', hung.some((h) => h.why.kind === 'ctxt') ? 'no context switches between captures' : '', hung.some((h) => h.why.kind === 'age') ? 'D in every capture' : '']
      .filter(Boolean).join(' and ');
    return [{
      severity,
      title: hung.length === 1
        ? `${taskLabel(first.t)} hung in D${label} (${how})`
        : `${plural(hung.length, 'task')} hung in D — ${tasks.slice(0, 3).map(taskLabel).join(', ')}${hung.length > 3 ? ' …' : ''} (${how})`,
      pids,
      summary: `${hung.length === 1 ? 'This task has' : 'These tasks have'} not left uninterruptible sleep (${how}). ` +
        `${fsThreads.length ? `Filesystem kernel threads are among them (${labelList(fsThreads, taskLabel)}): writes to that filesystem are stuck. ` : ''}` +
        'Read the stacks, then classify: storage (RBD, CephFS, NFS, a device), a lock convoy or memory reclaim. Killing D tasks does not work; fix what they wait on.',
      evidence,
      next: [
        `cat /proc/${first.t.pid}/stack /proc/${first.t.pid}/wchan`,
        `ps -o pid,stat,lstart,etimes,wchan:32,args -p ${pids.slice(0, 10).join(',')}`,
        'echo w > /proc/sysrq-trigger; dmesg -T | tail -300',
        'sysctl kernel.hung_task_timeout_secs kernel.hung_task_warnings',
        `dmesg -T | grep -A40 'blocked for more than'`,
      ],
      rootCause: rootCauseOf(tasks),
      explains: hung.length,
    }];
  },
};
