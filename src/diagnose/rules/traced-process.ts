// P19 Traced (t) — MED. A ptrace stop: a forgotten gdb or strace session freezes the app. Evidence
// is STAT `t` (`4 1 t ptrace_stop redis-server *:6379`) or `TracerPid` ≠ 0 in /proc/PID/status.
// The tracer comes from TracerPid, else from a debugger naming the PID (`strace -p 24 -o /dev/null`,
// `gdb -q -nx -p 25 -batch …`), else from a debugger parent. Severity: t MED, HIGH when the tracer is
// itself stopped (`6 1 T do_signal_stop strace -p 4 -o …`) or gone — nothing will resume the
// tracee; a process merely attached to (S/R with a TracerPid) is LOW: every syscall detours through
// the tracer, but it runs.
import type { Evidence, Process, Snapshot } from '../../model/index.ts';
import type { FindingDraft, Rule } from '../types.ts';
import {
  ageSec, argv0, CAPTURE, captureSet, cite, describeProcess, fmtDuration, groupBy, hasStates, isKthread, memo, pidLookup,
  procLabel, procName, provides, type PidLookup,
} from '../facts.ts';

const DEBUGGERS = /^(?:strace|ltrace|gdb|gdbserver|lldb|lldb-server|dlv|pstack|gstack|gcore|eu-stack|perf|rr|ptrace|py-spy|pyrasite|jdb|valgrind|truss)$/;

function isTraced(p: Process): boolean {
  if (p.state === 'Z' || p.state === 'X') return false;
  return p.state === 't' || (p.tracerPid !== undefined && p.tracerPid > 0);
}

/** PIDs a debugger's command line attaches to: `-p 25`, `-p25`, `--pid=25`, `--pid 25`, `attach 25`. */
function attachTargets(args: string): number[] {
  const out: number[] = [];
  const re = /(?:^|\s)(?:-p\s*|--pid[=\s]\s*|attach\s+)(\d+)(?=\s|,|$)/g;
  for (let m = re.exec(args); m !== null; m = re.exec(args)) out.push(Number(m[1]));
  return out;
}

interface Tracer { pid: number; proc?: Process; how: 'TracerPid' | 'args' | 'parent' }

/** Debuggers by the PID their command line attaches to, built once per snapshot. */
function debuggersByTarget(s: Snapshot): Map<number, Process> {
  return memo(s, 'debuggersByTarget', () => {
    const m = new Map<number, Process>();
    for (const q of s.processes) {
      // attachTargets needs `-p`, `--pid` or `attach` in the command line: test that before copying a name.
      if (!q.args || (!q.args.includes('-p') && !q.args.includes('attach')) || !DEBUGGERS.test(argv0(q.args) || procName(q))) continue;
      for (const t of attachTargets(q.args)) if (t !== q.pid && !m.has(t)) m.set(t, q);
    }
    return m;
  });
}

function tracerOf(s: Snapshot, p: Process, byPid: PidLookup): Tracer | undefined {
  if (p.tracerPid !== undefined && p.tracerPid > 0) return { pid: p.tracerPid, proc: byPid.get(p.tracerPid), how: 'TracerPid' };
  const dbg = debuggersByTarget(s).get(p.pid);
  if (dbg) return { pid: dbg.pid, proc: dbg, how: 'args' };
  const parent = p.ppid !== null ? byPid.get(p.ppid) : undefined;
  if (parent && DEBUGGERS.test(argv0(parent.args) || procName(parent))) return { pid: parent.pid, proc: parent, how: 'parent' };
  return undefined;
}

export const rule: Rule = {
  id: 'traced-process',
  pattern: 'P19',
  catches: 'processes in a ptrace stop (t) or attached to by a debugger (TracerPid): a forgotten gdb/strace freezes the app',
  needsText: 'process states (any ps/top STAT); /proc/PID/status TracerPid names the tracer',
  missing(ctx) {
    const s = ctx.current;
    return hasStates(s) || provides(s, 'tracerPid') ? null : CAPTURE.states;
  },
  evaluate(ctx) {
    const s = ctx.current;
    const cap = captureSet(s);
    const byPid = pidLookup(s);
    const traced = s.processes.filter((p) => !cap.has(p.pid) && !isKthread(s, p) && isTraced(p));
    const withTracer = traced.map((p) => ({ p, tracer: tracerOf(s, p, byPid) }));
    const out: FindingDraft[] = [];
    // One finding per tracer (strace -f holds several), one per tracee when the tracer is unknown.
    for (const group of groupBy(withTracer, (x) => (x.tracer ? `t:${x.tracer.pid}` : `p:${x.p.pid}`)).values()) {
      out.push(finding(s, group.map((x) => x.p), group[0].tracer));
    }
    return out;
  },
};

function finding(s: Snapshot, tracees: Process[], tracer: Tracer | undefined): FindingDraft {
  const ps = [...tracees].sort((a, b) => Number(b.state === 't') - Number(a.state === 't') || a.pid - b.pid);
  const first = ps[0];
  const stoppedNow = ps.filter((p) => p.state === 't' || p.state === 'T');
  const tp = tracer?.proc;
  const tracerStopped = tp !== undefined && (tp.state === 'T' || tp.state === 't');
  // TracerPid names a task the snapshot does not show: outside this PID namespace, or gone.
  const tracerMissing = tracer !== undefined && tp === undefined;
  const severity = stoppedNow.length === 0 ? 'low' : tracerStopped ? 'high' : 'medium';
  const tracerText = tracer ? (tp ? procLabel(tp) : `PID ${tracer.pid}`) : 'an unknown tracer';
  const evidence: Evidence[] = [];
  for (const p of ps.slice(0, 8)) {
    evidence.push(cite(s, p, describeProcess(s, p), 'stat'));
    if (p.tracerPid !== undefined && p.tracerPid > 0) evidence.push(cite(s, p, `TracerPid: ${p.tracerPid} in /proc/${p.pid}/status`, 'tracerPid'));
  }
  if (ps.length > 8) evidence.push({ text: `… and ${ps.length - 8} more` });
  if (tp) {
    const age = ageSec(tp, s);
    const how = tracer!.how === 'args' ? ' (its command line attaches to the PID)' : tracer!.how === 'parent' ? ' (the debugger is its parent)' : '';
    evidence.push(cite(s, tp, `tracer: ${describeProcess(s, tp)}${how}${age !== undefined ? `; attached for up to ${fmtDuration(age)}` : ''}`, 'stat'));
    if (tracerStopped) evidence.push(cite(s, tp, `the tracer ${procLabel(tp)} is itself stopped (${tp.stat ?? tp.state}): nothing will resume its tracee until it is continued or ends`, 'stat'));
  } else if (tracerMissing) {
    evidence.push({ text: `TracerPid ${tracer!.pid} is not in this snapshot: the tracer lives outside this PID namespace or the capture missed it` });
  }
  const names = ps.slice(0, 3).map(procLabel).join(', ') + (ps.length > 3 ? ' …' : '');
  const title = stoppedNow.length === 0
    ? `${names} ${ps.length === 1 ? 'is' : 'are'} being traced by ${tracerText} — every traced call detours through the tracer`
    : `${names} ${ps.length === 1 ? 'is' : 'are'} frozen in a ptrace stop (t) by ${tracerText}${tracerStopped ? ', which is itself stopped' : ''}`;
  const tpid = tracer?.pid;
  const next = [
    ...ps.slice(0, 3).map((p) => `grep -E 'State|TracerPid' /proc/${p.pid}/status`),
    tpid !== undefined ? `ps -o pid,ppid,stat,tty,etimes,args -p ${tpid}` : `grep -l "TracerPid:[[:space:]]*[1-9]" /proc/[0-9]*/status   # find the tracer`,
  ];
  if (tpid !== undefined) {
    const tname = tp ? argv0(tp.args) || procName(tp) : '';
    if (tracerStopped) next.push(`kill -CONT ${tpid}; kill ${tpid}   # continue the stopped tracer, then end it: the tracee is detached`);
    else if (tname === 'gdb' || tname === 'lldb') next.push(`# in that ${tname} session: detach, quit — or kill ${tpid} to end it`);
    else next.push(`kill ${tpid}   # end the tracer: the tracee is detached`);
  }
  next.push(`cat /proc/${first.pid}/wchan; echo   # ptrace_stop while held`);
  next.push(`kill -CONT ${first.pid}   # only if it stays T/t after the tracer is gone`);
  return {
    severity,
    title,
    pids: [...ps.map((p) => p.pid), ...(tpid !== undefined && tp ? [tpid] : [])],
    summary: stoppedNow.length
      ? `A ptrace stop: the process runs only when its tracer lets it, so a forgotten gdb or strace session freezes it${tracerStopped ? ' — and here the tracer is stopped too, so it will not move at all' : ''}. Detach or end the tracer.`
      : `A debugger or tracer is attached (TracerPid ≠ 0). The process still runs, but each traced syscall or signal stops for the tracer, which slows it down a lot. End the tracer if nobody is using it.`,
    evidence,
    next,
    rootCause: tpid !== undefined ? `tracer:${tpid}` : `traced:${first.pid}`,
    explains: ps.length + (tp ? 1 : 0),
  };
}
