// P18 Stopped (T) — MED, HIGH for daemons/DBs. A stopped process keeps its locks, sockets and
// shared memory, so its clients hang. Without a terminal it means someone sent SIGSTOP
// (`3 1 T do_signal_stop … /usr/sbin/rsyslogd -n -iNONE`); on a terminal it is job control
// (Ctrl-Z, SIGTTIN/SIGTTOU), reported LOW in a finding of its own. A T task with a tracer is
// traced-process's business (old kernels print T for ptrace stops too).
import type { Evidence, Process, Snapshot } from '../../model/index.ts';
import type { FindingDraft, Rule } from '../types.ts';
import {
  ageSec, CAPTURE, captureSet, cite, citeFirst, describeProcess, EVIDENCE_MAX, fmtDuration, groupBy, hasStates, isKthread, memo, pidLookup, plural,
  procLabel, procName, tasksOfProcess,
} from '../facts.ts';
import { hasTty, isJobControl, isServiceName, maxOf } from '../facts-moments.ts';

/** Stopped by a signal: the main thread is T (or every thread shown is), not traced, not the capture. */
function isStopped(s: Snapshot, p: Process): boolean {
  if (p.tracerPid !== undefined && p.tracerPid > 0) return false;
  if (p.state === 'T') return true;
  if (p.state !== null) return false;
  const ts = tasksOfProcess(s, p.pid);
  return ts.length > 0 && ts.every((t) => t.state === 'T');
}

/** Processes this one traces (`strace -p 4` with TracerPid 6 on pid 4): a stopped tracer freezes them. */
function traceesOf(s: Snapshot, p: Process): Process[] {
  // One pass per snapshot, not per stopped process: a paste can hold thousands of T rows.
  const byTracer = memo(s, 'traceesByTracer', () => groupBy(s.processes.filter((q) => q.tracerPid !== undefined && q.tracerPid > 0 && q.tracerPid !== q.pid), (q) => String(q.tracerPid)));
  return byTracer.get(String(p.pid)) ?? [];
}

export const rule: Rule = {
  id: 'stopped-process',
  pattern: 'P18',
  catches: 'processes stopped by SIGSTOP (T): they keep locks, sockets and shared memory while clients hang; HIGH for daemons and databases, LOW for Ctrl-Z jobs on a terminal',
  needsText: 'process states (STAT from any ps, top, /proc/PID/status); a TTY column tells job control from a stopped service',
  missing(ctx) {
    return hasStates(ctx.current) ? null : CAPTURE.states;
  },
  evaluate(ctx) {
    const s = ctx.current;
    const cap = captureSet(s);
    const stopped = s.processes.filter((p) => !cap.has(p.pid) && !isKthread(s, p) && isStopped(s, p));
    if (stopped.length === 0) return [];
    const jobs = stopped.filter(isJobControl);
    const signalled = stopped.filter((p) => !isJobControl(p));
    const out: FindingDraft[] = [];
    if (signalled.length) out.push(sigstopFinding(s, signalled));
    if (jobs.length) out.push(jobFinding(s, jobs));
    return out;
  },
};

/** Services first, then the longest-lived, then PID. */
function order(s: Snapshot, ps: readonly Process[]): Process[] {
  // Keys computed once per process, not per comparison (isServiceName runs regexes; 7800 T rows sort in 200k comparisons).
  const svc = new Map<Process, number>();
  const age = new Map<Process, number>();
  for (const p of ps) { svc.set(p, Number(isServiceName(p))); age.set(p, ageSec(p, s) ?? -1); }
  return [...ps].sort((a, b) => svc.get(b)! - svc.get(a)! || age.get(b)! - age.get(a)! || a.pid - b.pid);
}

function evidenceFor(s: Snapshot, ps: readonly Process[]): Evidence[] {
  const ev: Evidence[] = [];
  for (const p of ps.slice(0, 10)) {
    const tty = p.tty !== undefined ? (hasTty(p) ? `, on ${p.tty}` : ', no terminal') : '';
    const traced = p.tracerPid === 0 ? ', TracerPid 0 (not a debugger stop)' : '';
    ev.push(cite(s, p, `${describeProcess(s, p)}${tty}${traced}`, 'stat'));
    ev.push(...citeFirst(traceesOf(s, p), (q) => cite(s, q, `${procLabel(q)} is traced by ${procLabel(p)} (TracerPid ${p.pid}) and stays in its ptrace stop while the tracer is stopped`, 'tracerPid'),
      (n) => `… and ${n} more processes traced by ${procLabel(p)}`));
    const kids = p.children.map((c) => pidLookup(s).get(c)).filter((c): c is Process => c !== undefined && c.state !== 'Z');
    if (kids.length) ev.push({ text: `${procLabel(p)} has ${plural(kids.length, 'live child', 'live children')}: ${kids.slice(0, 5).map(procLabel).join(', ')}`, pid: p.pid });
  }
  if (ps.length > 10) ev.push({ text: `… and ${ps.length - 10} more` });
  return ev;
}

function sigstopFinding(s: Snapshot, group: Process[]): FindingDraft {
  const ps = order(s, group);
  const services = ps.filter(isServiceName);
  const first = ps[0];
  const pidsCsv = ps.slice(0, 10).map((p) => p.pid).join(',');
  const ages = ps.map((p) => ageSec(p, s)).filter((a): a is number => a !== undefined);
  const what = services.length
    ? ` — ${services.slice(0, 3).map(procName).join(', ')} ${services.length === 1 ? 'is a service' : 'are services'}: ${services.length === 1 ? 'its' : 'their'} clients hang`
    : ' — it keeps its locks and sockets while stopped';
  const title = ps.length === 1
    ? `${procLabel(first)} is stopped (T, SIGSTOP)${what}`
    : `${plural(ps.length, 'process', 'processes')} stopped with SIGSTOP: ${ps.slice(0, 4).map(procLabel).join(', ')}${ps.length > 4 ? ' …' : ''}${what}`;
  return {
    severity: services.length ? 'high' : 'medium',
    title,
    pids: ps.map((p) => p.pid),
    summary: `${ps.length === 1 ? 'This process is' : 'These processes are'} stopped by a signal (SIGSTOP or SIGTSTP sent by someone or something), not by a terminal's job control: ` +
      'a stopped process keeps its locks, sockets and shared memory, so whatever talks to it hangs. Find out who stopped it; if it was not intended, continue it.' +
      (ages.length ? ` ${ps.length === 1 ? 'It has' : 'The oldest has'} been up ${fmtDuration(maxOf(ages))} (process age, not time stopped).` : ''),
    evidence: evidenceFor(s, ps),
    next: [
      ...ps.slice(0, 3).map((p) => `grep -E 'State|TracerPid|SigQ' /proc/${p.pid}/status`),
      `ps -o pid,ppid,stat,tty,etimes,wchan:32,args -p ${pidsCsv}`,
      `ls -l /proc/${first.pid}/fd | head -20   # what it holds open while stopped`,
      `journalctl --since -2h | grep -iE 'SIGSTOP|stopp|pause' | tail   # who stopped it`,
      `kill -CONT ${ps.slice(0, 10).map((p) => p.pid).join(' ')}   # only if the stop was not intended`,
    ],
    // The key names the group by its PIDs, the first EVIDENCE_MAX of them: 7800 stopped rows must not make a 40 kB key.
    rootCause: ps.length === 1 ? `stopped:${first.pid}` : `stopped:${ps.slice(0, EVIDENCE_MAX).map((p) => p.pid).join(',')}${ps.length > EVIDENCE_MAX ? `,…+${ps.length - EVIDENCE_MAX}` : ''}`,
    explains: ps.length,
  };
}

function jobFinding(s: Snapshot, group: Process[]): FindingDraft {
  const ps = order(s, group);
  const first = ps[0];
  const services = ps.filter(isServiceName);
  const ttys = [...new Set(ps.map((p) => p.tty).filter((t): t is string => t !== undefined && hasTty({ tty: t })))];
  return {
    // A service suspended from a terminal still leaves its clients hanging.
    severity: services.length ? 'medium' : 'low',
    title: `${plural(ps.length, 'job')} stopped on ${ttys.length ? ttys.join(', ') : 'a terminal'} (Ctrl-Z or SIGTTIN/SIGTTOU): ${ps.slice(0, 4).map(procLabel).join(', ')}${ps.length > 4 ? ' …' : ''}`,
    pids: ps.map((p) => p.pid),
    summary: 'Stopped by job control in an interactive shell (Ctrl-Z, or a background job that tried to use the terminal). Usually harmless; ' +
      `${services.length ? `but ${services.map(procLabel).join(', ')} is a service and its clients wait while it is suspended. ` : ''}` +
      'Resume it with fg in that shell, or end it.',
    evidence: evidenceFor(s, ps),
    next: [
      `ps -o pid,ppid,pgid,sid,tty,stat,etimes,args -p ${ps.slice(0, 10).map((p) => p.pid).join(',')}`,
      `jobs -l   # in the shell on ${ttys[0] ?? 'that terminal'}, then fg %N`,
      `kill -CONT ${first.pid}   # or end it if nobody needs it`,
    ],
    rootCause: `job-control:${ttys[0] ?? first.pid}`,
    explains: ps.length,
  };
}
