// P04 Common-cause D cluster — MED ≥3, HIGH ≥10 tasks on one key. One stalled resource blocks many
// tasks; the group key (device, mount/path, wchan, stack frame) is the diagnosis, and the oldest task
// or a journal/flush kernel thread of the group points at the root (Tanel Poder).
// Left out: idle kernel-thread waits and the capture's own processes (dTasks), vfork parents (each
// waits for its own child, no common cause) and frozen tasks (P08: `__refrigerator` on purpose).
import type { Evidence, Process, Snapshot } from '../../model/index.ts';
import type { FindingDraft, Rule, RuleContext } from '../types.ts';
import {
  missingStatesOrWaitsOrArgs,
  cite, ageSec, causeOrder, citeTask, clusterD, countNames, dClusterSeverity, describeProcess, describeTask,
  dPersistence, dTasks, fmtDuration, isFrozen, killableKind, labelList, pathDirs, plural,   rootCauseOf, taskLabel, uniquePids, waitSymbol, type DGroup, type Task,
} from '../facts.ts';

// heuristics.md §3 "Transient D: D in a single sample, age <10 s, wchan io_schedule".
const TRANSIENT_AGE = 10;

function allTransient(ctx: RuleContext, s: Snapshot, tasks: readonly Task[]): boolean {
  if (tasks.some((t) => dPersistence(ctx.ingest, ctx.snapshots, t).persistent)) return false;
  return tasks.every((t) => {
    const a = ageSec(t.proc, s);
    return a !== undefined && a < TRANSIENT_AGE && t.reports.length === 0;
  });
}

export const rule: Rule = {
  id: 'd-state-cluster',
  pattern: 'P04',
  catches: '≥3 tasks in D on one device, mount, wait channel or stack frame: one stalled resource behind them',
  needsText: 'per-thread states with wchan (ps -eLo pid,tid,stat,wchan:32,args); device/path from args; stacks help',
  missing: missingStatesOrWaitsOrArgs,
  evaluate(ctx) {
    const s = ctx.current;
    const candidates = dTasks(s).filter((t) => !isFrozen(t) && killableKind(t) !== 'vfork');
    const out: FindingDraft[] = [];
    for (const g of clusterD(candidates, 3)) {
      // Several short D on plain block I/O in one sample is a busy disk, not a stall (§4).
      if (g.tasks.length < 10 && allTransient(ctx, s, g.tasks)) continue;
      out.push(finding(ctx, s, g));
    }
    return out;
  },
};

function finding(ctx: RuleContext, s: Snapshot, g: DGroup): FindingDraft {
  const tasks = causeOrder(s, g.tasks);
  const first = tasks[0];
  const pids = uniquePids(tasks);
  const waits = countNames(tasks.map((t) => waitSymbol(t) || '(wait unknown)'), 3);
  const where = g.kind === 'device' ? `on ${g.label}` : g.kind === 'path' ? `on ${g.label}` : g.kind === 'fs' ? `on ${g.label}` : `in ${g.label}`;
  const evidence: Evidence[] = [];
  evidence.push({ text: `${plural(tasks.length, 'task')} in D share ${g.kind === 'wchan' ? 'the wait channel' : g.kind === 'stack' ? 'the top stack frame' : g.kind === 'device' ? 'the device' : g.kind === 'path' ? 'one directory:' : 'the filesystem type'} ${g.label}; waits: ${waits}` });
  for (const t of tasks.slice(0, 12)) evidence.push(citeTask(s, t, describeTask(s, t), 'wchan'));
  if (tasks.length > 12) evidence.push({ text: `… and ${tasks.length - 12} more` });
  const pers = tasks.map((t) => dPersistence(ctx.ingest, ctx.snapshots, t));
  const persistent = pers.filter((p) => p.persistent).length;
  if (persistent > 0) {
    const span = pers.find((p) => p.spanSec !== undefined)?.spanSec;
    const unchanged = pers.filter((p) => p.ctxtUnchanged === true).length;
    evidence.push({ text: `${persistent} of ${tasks.length} in D in every moment${span !== undefined ? ` (${fmtDuration(span)} apart)` : ''}${unchanged ? `, ${unchanged} with context switches unchanged` : ''}` });
  }
  const reported = tasks.filter((t) => t.reports.some((r) => r.source === 'hung-task'));
  if (reported.length) evidence.push({ text: `the kernel printed hung-task reports for ${labelList(reported, taskLabel)}` });
  // Who else names the same place (a FUSE daemon serving the directory, a waiting parent).
  if (g.kind === 'path') {
    const dir = g.key.slice('path:'.length);
    // Every path a command line names is made of its text, so a row without the directory's last
    // name cannot name it: that test alone keeps this a substring search per process.
    const leaf = dir.slice(dir.lastIndexOf('/') + 1);
    const inGroup = new Set(pids);
    const near: Process[] = [];
    for (const p of s.processes) {
      if (near.length === 3) break;
      if (!p.args || !p.args.includes(leaf) || inGroup.has(p.pid)) continue;
      if (pathDirs(p.args).includes(dir) || p.args.split(/\s+/).includes(dir)) near.push(p);
    }
    for (const p of near) evidence.push(cite(s, p, `also names ${dir}: ${describeProcess(s, p)}`, 'args'));
  }
  const severity = dClusterSeverity(tasks.length) ?? 'medium';
  const rootCause = g.kind === 'device' ? g.key : rootCauseOf(tasks) ?? g.key;
  return {
    severity,
    title: `${plural(tasks.length, 'task')} stuck in D ${where} — one stalled resource (${taskLabel(first)} first)`,
    pids,
    summary: `${plural(tasks.length, 'task')} in uninterruptible sleep wait on the same thing (${g.label}), so one stalled device, mount or lock explains them all. ` +
      'Find what it is (stacks, the device or mount behind it) and fix that; the tasks finish by themselves. The oldest task, or a journal/flush kernel thread in the group, points at the root.',
    evidence,
    next: [
      `ps -eLo stat,wchan:32,comm | awk '$1~/^D/' | sort | uniq -c | sort -rn`,
      `cat /proc/${first.pid}/stack /proc/${first.pid}/wchan`,
      'echo w > /proc/sysrq-trigger; dmesg -T | tail -200',
      'iostat -xz 1 5',
      ...(g.kind === 'path' ? [`findmnt -T ${g.key.slice('path:'.length)}`] : []),
      ...(g.kind === 'device' && !g.key.startsWith('volume:') ? [`lsblk /dev/${g.key.slice('device:'.length)}; findmnt -S /dev/${g.key.slice('device:'.length)}`] : []),
    ],
    rootCause,
    explains: tasks.length,
  };
}
