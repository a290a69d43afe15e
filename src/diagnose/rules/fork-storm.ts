// P15 Fork storm / respawn loop — HIGH. A supervisor, shell loop or retry storm respawning: many
// children of one PPID with the same command and etimes ≤5 s (`856 3 S hrtimer_nanosleep … 2 sleep 2`
// ×194 under `3 1 R - … bash /tmp/s2/respawn.sh`), near-consecutive PIDs, and the last-PID field of
// /proc/loadavg racing ahead between readings (`… 3/549 495` then `… 3/547 1085`). Thresholds
// (heuristics.md §3): >50 children of one parent with etimes ≤5 s, or last-PID Δ >100/s.
// Quiet: a parallel job runner whose young children all run different commands (a build) is only
// LOW; the capture's own ps/grep and kernel threads never count.
import type { Evidence, Process, Snapshot } from '../../model/index.ts';
import type { FindingDraft, Rule, RuleContext } from '../types.ts';
import {
  ageSec, argv0, captureSet, cite, cmdKey, describeProcess, fmtDuration, hasAges, hasParents, isKthread, pidList, pidLookup,
  plural, procLabel, procName, shortArgs,
} from '../facts.ts';
import { loadReadings, maxOf, pidCounterSteps, type PidStep } from '../facts-moments.ts';

const YOUNG_SEC = 5;
const MANY = 50;
const RATE = 100;

/** The command identity of a child: its full command line; a `[sleep]` row caught between fork and exec counts as its name. */
function childKey(p: Process): string {
  if (p.args && p.args.includes('[')) { // no trim or regex for the usual row
    const a = p.args.trim();
    if (/^\[[^\]]+\]$/.test(a)) return `name:${a.slice(1, -1)}`;
  }
  return cmdKey(p);
}

interface Burst { parent: number; young: Process[]; same: Process[]; key: string }

function bursts(s: Snapshot): Burst[] {
  const cap = captureSet(s);
  const byParent = new Map<number, Process[]>();
  for (const p of s.processes) {
    // Age first: on a real host it rejects almost every row.
    const a = ageSec(p, s);
    if (a === undefined || a > YOUNG_SEC) continue;
    if (p.ppid === null || p.ppid === 0 || cap.has(p.pid)) continue;
    // `855 3 R - … 2 [sleep]` is a child caught between fork and exec, not a kernel thread: only
    // kthreadd's children are.
    if (isKthread(s, p) && (p.ppid === 2 || p.pid === 2) && p.kthread !== false) continue;
    const l = byParent.get(p.ppid);
    if (l) l.push(p); else byParent.set(p.ppid, [p]);
  }
  const out: Burst[] = [];
  for (const [parent, young] of byParent) {
    if (young.length <= MANY / 5) continue;
    const counts = new Map<string, Process[]>();
    for (const c of young) {
      const k = childKey(c);
      const l = counts.get(k);
      if (l) l.push(c); else counts.set(k, [c]);
    }
    const [key, same] = [...counts.entries()].sort((a, b) => b[1].length - a[1].length)[0];
    // Rows caught between fork and exec (`[sleep]`) join the command they are about to become.
    const name = argv0(same[0].args) || procName(same[0]);
    const joined = counts.get(`name:${name}`);
    const all = joined && key !== `name:${name}` ? [...same, ...joined] : same;
    out.push({ parent, young, same: all, key });
  }
  return out.sort((a, b) => b.same.length - a.same.length);
}

export const rule: Rule = {
  id: 'fork-storm',
  pattern: 'P15',
  catches: 'respawn loops and fork storms: >50 identical children of one parent younger than 5 s, or the PID counter advancing >100/s',
  needsText: 'parent PIDs and ages (ps -eo pid,ppid,stat,etimes,time,args) and /proc/loadavg read twice a few seconds apart',
  missing(ctx) {
    const s = ctx.current;
    if (pidCounterSteps(ctx.ingest).length > 0) return null;
    if (!hasParents(s)) return 'no parent PIDs and one PID-counter reading: capture `ps -eo pid,ppid,stat,etimes,time,args` and `cat /proc/loadavg` twice, 5 s apart';
    if (!hasAges(s)) return 'no process ages: capture `ps -eo pid,ppid,stat,etimes,time,args` and `cat /proc/loadavg` twice, 5 s apart';
    return null;
  },
  evaluate(ctx) {
    const s = ctx.current;
    const steps = pidCounterSteps(ctx.ingest);
    const fast = steps.filter((st) => st.rate !== undefined && st.rate > RATE);
    const out: FindingDraft[] = [];
    const bs = hasParents(s) && hasAges(s) ? bursts(s) : [];
    const storm = bs.filter((b) => b.same.length > MANY);
    for (const b of storm) out.push(stormFinding(ctx, s, b, steps));
    if (storm.length === 0 && fast.length > 0) out.push(rateOnlyFinding(ctx, s, fast, bs[0]));
    // Many young children running different commands: a parallel runner (make -j, xargs -P), not a loop.
    for (const b of bs) {
      if (b.same.length > MANY || b.young.length <= MANY || storm.length > 0 || fast.length > 0) continue;
      out.push(runnerFinding(s, b));
    }
    return out;
  },
};

function stepText(st: PidStep): string {
  const where = st.from.input === st.to.input ? `${st.from.input} lines ${st.from.line} and ${st.to.line}` : `${st.from.input}:${st.from.line} and ${st.to.input}:${st.to.line}`;
  const what = st.counter === 'lastPid' ? 'last PID in /proc/loadavg' : '/proc/stat processes (forks since boot)';
  const unit = st.counter === 'lastPid' ? 'PIDs/s' : 'forks/s';
  const rate = st.rate !== undefined ? `${Math.round(st.rate)} ${unit} over ${fmtDuration(st.sec!)}` : 'the readings carry no times';
  return `${what} ${st.counter === 'lastPid' ? st.from.lastPid : st.from.forks} → ${st.counter === 'lastPid' ? st.to.lastPid : st.to.forks} (+${st.delta}; ${rate}) between ${where}`;
}

function taskTrend(ctx: RuleContext): Evidence | undefined {
  const totals = loadReadings(ctx.ingest).filter((r) => r.totalTasks !== undefined);
  if (totals.length < 2) return undefined;
  return { text: `total threads in /proc/loadavg across readings: ${totals.map((r) => r.totalTasks).join(' → ')}`, input: totals[0].input, line: totals[0].line };
}

function stormFinding(ctx: RuleContext, s: Snapshot, b: Burst, steps: PidStep[]): FindingDraft {
  const parent = pidLookup(s).get(b.parent);
  const kids = [...b.same].sort((x, y) => x.pid - y.pid);
  const ages = kids.map((k) => ageSec(k, s)!).filter((a) => a !== undefined);
  const maxAge = maxOf(ages);
  const perSec = kids.length / (maxAge + 1);
  const cmd = shortArgs(kids.find((k) => !/^\[/.test(k.args ?? ''))?.args ?? procName(kids[0]), 60);
  const label = parent ? procLabel(parent) : `PID ${b.parent}`;
  const ev: Evidence[] = [];
  if (parent) ev.push(cite(s, parent, `parent: ${describeProcess(s, parent)}`, 'args'));
  else ev.push({ text: `parent PID ${b.parent} is not in the snapshot (it may have exited and been replaced)` });
  ev.push({ text: `${plural(kids.length, 'child', 'children')} of ${b.parent} running \`${cmd}\` started ≤${maxAge}s ago (of ${b.young.length} children younger than ${YOUNG_SEC}s): PIDs ${pidList(kids.map((k) => k.pid), 10)}` });
  ev.push({ text: `at least ${Math.round(perSec)} new processes/s from their ages alone (they all fit in ${maxAge + 1}s); PIDs ${kids[0].pid}–${kids[kids.length - 1].pid} are near-consecutive` });
  for (const k of kids.slice(0, 3)) ev.push(cite(s, k, describeProcess(s, k), 'args'));
  const between = kids.filter((k) => k.state === 'R' && k.args !== null && k.args !== undefined && k.args.includes('[') && /^\[[^\]]+\]$/.test(k.args.trim()));
  if (between.length) ev.push(cite(s, between[0], `${plural(between.length, 'child')} caught between fork and exec (\`${between[0].args}\` in R)`, 'args'));
  for (const st of steps.slice(0, 3)) ev.push({ text: stepText(st), input: st.to.input, line: st.to.line });
  const tt = taskTrend(ctx);
  if (tt) ev.push(tt);
  const p = b.parent;
  return {
    severity: 'high',
    title: `Fork storm: ${label} is respawning \`${cmd}\` — ${kids.length} children younger than ${maxAge + 1}s`,
    pids: [p, ...kids.map((k) => k.pid)],
    summary: `A respawn loop or retry storm: one parent keeps starting the same command, ${kids.length} of them in the last ${maxAge + 1} s. ` +
      'It burns CPU on fork/exec, churns the PID space and can hit the task limit ("it is trivial to hit the task limit"). Find why the parent respawns (its logs, the child\'s exit status) and cap it with pids.max.',
    evidence: ev,
    next: [
      `ps -eo ppid= | sort | uniq -c | sort -rn | head`,
      `ps -o pid,ppid,stat,etimes,args -p ${p}; cat /proc/${p}/cmdline | tr '\\0' ' '; echo`,
      'sar -w 1 5   # proc/s: forks per second',
      'execsnoop-bpfcc   # (bcc) what is being started, and its exit codes',
      `journalctl _PID=${p} --since -10min | tail   # or the service/container logs of the parent`,
      `cat /proc/${p}/cgroup   # then pids.max / pids.current of that cgroup`,
      `kill -STOP ${p}   # pause the respawning parent while you look; kill -CONT ${p} to resume`,
      'cap it: pids.max on the cgroup, kubelet podPidsLimit, docker --pids-limit',
    ],
    rootCause: `fork-storm:${p}`,
    explains: 1 + kids.length,
  };
}

function rateOnlyFinding(ctx: RuleContext, s: Snapshot, fast: PidStep[], top: Burst | undefined): FindingDraft {
  const best = [...fast].sort((a, b) => b.rate! - a.rate!)[0];
  const parent = top ? pidLookup(s).get(top.parent) : undefined;
  const ev: Evidence[] = fast.slice(0, 3).map((st) => ({ text: stepText(st), input: st.to.input, line: st.to.line }));
  const tt = taskTrend(ctx);
  if (tt) ev.push(tt);
  if (top && parent) ev.push(cite(s, parent, `most young children: ${describeProcess(s, parent)} with ${top.young.length} children younger than ${YOUNG_SEC}s`, 'args'));
  else ev.push({ text: 'no parent with many young children in the process list: the forks are short-lived (they exit before ps sees them) or the process list lacks ages' });
  return {
    severity: 'high',
    title: `Fork storm: ${best.counter === 'lastPid' ? 'the PID counter advances' : 'the kernel forks'} ${Math.round(best.rate!)} ${best.counter === 'lastPid' ? 'PIDs' : 'processes'}/s${parent ? ` (most young children under ${procLabel(parent)})` : ''}`,
    pids: parent ? [parent.pid, ...top!.young.map((k) => k.pid)] : [],
    summary: 'New processes are created faster than 100 per second: a respawn loop, a retry storm or a script forking in a tight loop. Short-lived children may be gone before ps sees them; execsnoop shows them.',
    evidence: ev,
    next: [
      'sar -w 1 5   # proc/s',
      'execsnoop-bpfcc   # (bcc) what is being started',
      'ps -eo ppid= | sort | uniq -c | sort -rn | head',
      'cat /proc/loadavg; sleep 5; cat /proc/loadavg   # last PID delta / 5 = PIDs per second',
    ],
    rootCause: parent ? `fork-storm:${parent.pid}` : 'fork-storm',
    explains: parent ? 1 + top!.young.length : 0,
  };
}

function runnerFinding(s: Snapshot, b: Burst): FindingDraft {
  const parent = pidLookup(s).get(b.parent);
  const label = parent ? procLabel(parent) : `PID ${b.parent}`;
  return {
    severity: 'low',
    title: `${label} started ${b.young.length} children in the last ${YOUNG_SEC}s, running different commands — a parallel job runner, not a respawn loop`,
    pids: [b.parent, ...b.young.map((k) => k.pid)],
    summary: 'Many young children of one parent, but not the same command over and over: this looks like make -j, xargs -P or a worker pool. Only a problem if the host is short of PIDs or CPU.',
    evidence: [
      ...(parent ? [cite(s, parent, `parent: ${describeProcess(s, parent)}`, 'args')] : []),
      { text: `${b.young.length} children younger than ${YOUNG_SEC}s; the most common command (${b.same.length}×): \`${shortArgs(b.key.replace(/^name:/, ''), 60)}\`` },
    ],
    next: [`ps -o pid,etimes,args --ppid ${b.parent} | head -30`, 'sar -w 1 5'],
    rootCause: `busy-parent:${b.parent}`,
    explains: b.young.length,
  };
}
