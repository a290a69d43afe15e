// P10 Zombies under a D-state parent — HIGH, and the D is the root cause. A parent blocked in the
// kernel cannot run its SIGCHLD handler or wait(), so its exited children stay defunct. Reference
// incident (process-notes.txt, harbor): "父进程D状态, liveness脚本的子进程exit后无法被reaped".
// One finding about the parent, citing the zombies; zombies-under-live-parent and
// zombies-under-container-init stay quiet for them.
import type { Evidence, Process, Snapshot } from '../../model/index.ts';
import type { FindingDraft, Rule } from '../types.ts';
import {
  cite, ageSec, missingStatesOrParents, citeTask, countNames, describeProcess, describeTask, fmtDuration, killableKind,
  meaningfulFrames, pidList, pidLookup, plural, procLabel, procName, rootCauseOf, stackLine, tasksOfProcess, taskLabel,
  waitSymbol, zombiesByParent, zombieTrend, type Task, maxOf, minOf,
} from '../facts.ts';

/** The parent's main-thread task when it is in D (threads where shown). */
export function dMainTask(s: Snapshot, parent: Process): Task | undefined {
  const tasks = tasksOfProcess(s, parent.pid);
  const main = tasks.find((t) => t.tid === parent.pid) ?? tasks[0];
  return main && main.state === 'D' ? main : undefined;
}

export const rule: Rule = {
  id: 'zombies-under-d-parent',
  pattern: 'P10',
  catches: 'zombies whose parent is stuck in D: the parent cannot wait(), so the D is the cause and the zombies a symptom',
  needsText: 'states and parent PIDs (ps -eo pid,ppid,stat,wchan:32,etimes,args)',
  missing: missingStatesOrParents,
  evaluate(ctx) {
    const s = ctx.current;
    const byPid = pidLookup(s);
    const out: FindingDraft[] = [];
    for (const [ppid, zombies] of zombiesByParent(s)) {
      const parent = byPid.get(ppid);
      if (!parent) continue;
      const dt = dMainTask(s, parent);
      if (!dt) continue;
      const trend = zombieTrend(ctx.ingest, ctx.snapshots, s, parent, zombies);
      // A lone zombie that just exited beside a parent briefly in D is nothing yet.
      if (trend.persistent === false && zombies.length < 5) continue;
      out.push(finding(s, parent, dt, zombies, trend));
    }
    return out;
  },
};

function finding(s: Snapshot, parent: Process, dt: Task, zombies: Process[], trend: ReturnType<typeof zombieTrend>): FindingDraft {
  const k = killableKind(dt);
  const w = waitSymbol(dt);
  const live = parent.children.map((c) => pidLookup(s).get(c)).filter((c): c is Process => c !== undefined && c.state !== 'Z');
  const evidence: Evidence[] = [citeTask(s, dt, `parent ${describeTask(s, dt)}`, 'wchan')];
  if (dt.stack.length) evidence.push(citeTask(s, dt, `kernel stack of ${taskLabel(dt)}: ${stackLine(meaningfulFrames(dt.stack), 5)}`, 'stack'));
  const names = countNames(zombies.map(procName));
  const named = names ? ` (${names})` : '';
  evidence.push({ text: `${plural(zombies.length, 'zombie child', 'zombie children')}${named}: ${pidList(zombies.map((z) => z.pid))}` });
  const ages = zombies.map((z) => ageSec(z, s)).filter((a): a is number => a !== undefined);
  if (ages.length) evidence.push({ text: `zombie ages ${fmtDuration(minOf(ages))} to ${fmtDuration(maxOf(ages))}` });
  for (const z of zombies.slice(0, 3)) evidence.push({ text: describeProcess(s, z), pid: z.pid, ...citeLine(s, z) });
  if (trend.counts.length > 1) evidence.push({ text: `zombie count across moments: ${trend.counts.join(' → ')}${trend.growing ? ' (growing)' : ''}` });
  let vforkNote = '';
  const next = [`cat /proc/${parent.pid}/stack /proc/${parent.pid}/wchan`, `ps -o pid,ppid,stat,etimes,wchan:32,args --ppid ${parent.pid}`];
  if (k === 'vfork') {
    const child = live.find((c) => c.args !== undefined && c.args === parent.args) ?? live[0];
    if (child) {
      evidence.push(cite(s, child, `vfork: the parent waits until its child ${describeProcess(s, child)} execs or exits`, 'wchan'));
      next.push(`cat /proc/${child.pid}/stack /proc/${child.pid}/wchan   # the vfork child holding the parent`);
    }
    vforkNote = ` It waits in a vfork (${w}): the child${child ? ` ${procLabel(child)}` : ''} has not exec'd or exited. That wait is killable, so it never shows in hung-task reports; ending the vfork child (or kill -9 of the parent) releases it.`;
  } else {
    next.push('then classify the parent\'s D: storage (rbd/NFS/CephFS, iostat -xz 1), lock convoy (echo w > /proc/sysrq-trigger; dmesg), memory reclaim');
  }
  next.push(`# do not chase the zombies: they disappear once ${parent.pid} reaps them or exits`);
  return {
    severity: 'high',
    title: `${procLabel(parent)} is stuck in D${w ? ` (${w}${k === 'vfork' ? ', a vfork wait' : ''})` : ''} and cannot reap its ${plural(zombies.length, 'zombie child', 'zombie children')}${named}`,
    pids: [parent.pid, ...zombies.map((z) => z.pid)],
    summary: `The parent is in uninterruptible sleep, so it cannot run its SIGCHLD handler or wait(): its exited children stay defunct. The D is the root cause; the zombies are a symptom (a pod restart also hangs while a D task exists).${vforkNote}`,
    evidence,
    next,
    // A vfork wait is private to this parent and its child: no key shared with other D tasks.
    rootCause: k === 'vfork' ? `vfork:${parent.pid}` : rootCauseOf([dt]) ?? `d-parent:${parent.pid}`,
    explains: 1 + zombies.length,
  };
}

function citeLine(s: Snapshot, p: Process): { input?: string; line?: number } {
  const r = p.src[0];
  const src = r ? s.sources[r.s] : undefined;
  return src ? { input: src.input, line: r.line } : {};
}
