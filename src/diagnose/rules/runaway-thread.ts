// P23 Runaway thread — MED/HIGH. A TID at ≥90% CPU in state R for ≥2 refreshes of `top -H`
// (`7 root 20 0 35260 1448 1320 R 99.9 0.0 0:09.09 worker-3`), or the same from CPU-time deltas
// between two moments: a busy loop saturating one core while its siblings idle.
// Quiet on purpose:
// - one moment of ps: its %CPU is a lifetime average (heuristics.md §4), so it proves nothing now;
// - the thread-group leader that procps 4.0.2 top -H/ps -m print with the whole process's CPU
//   (`3 … S 99.9 … orders-svc` beside the really hot `7 … R 99.9 … worker-3`): it is S, not R;
// - kernel threads (kthread-cpu-hog) and the capture's own top/ps;
// - a single-threaded process at 100% is a CPU-bound process, reported LOW at most.
import type { Evidence, Process, Snapshot } from '../../model/index.ts';
import type { FindingDraft, Rule, RuleContext } from '../types.ts';
import { argv0, captureSet, cite, describeProcess, isKthread, pidLookup, plural, procLabel, procName } from '../facts.ts';
import {
  busyReadings, cpuCount, hasCpuOverTime, idlePct, maxOf, minOf, MISSING_CPU_OVER_TIME, ownerOf, taskSeries, topRefreshes,
  type Busy, type TaskSeries,
} from '../facts-moments.ts';

const HOT = 90;
const MIN_REFRESHES = 2;

interface Hot { ts: TaskSeries; hot: Busy[]; all: Busy[] }

export const rule: Rule = {
  id: 'runaway-thread',
  pattern: 'P23',
  catches: 'a thread at ≥90% CPU in R across ≥2 top -H refreshes (or CPU-time deltas between moments): a busy loop on one core',
  needsText: 'top -H -b -n 3 (per-thread %CPU per refresh), or ps -eLo pid,tid,stat,psr,time twice; one ps is a lifetime average',
  missing(ctx) {
    return hasCpuOverTime(ctx.ingest) ? null : MISSING_CPU_OVER_TIME;
  },
  evaluate(ctx) {
    const s = ctx.current;
    const cap = captureSet(s);
    const perProcess = new Map<number, Hot[]>();
    const single: Array<{ p: Process; h: Hot }> = [];
    for (const ts of taskSeries(ctx.ingest)) {
      const all = busyReadings(ts);
      const hot = all.filter((b) => b.pct >= HOT && b.state === 'R');
      if (hot.length < MIN_REFRESHES) continue;
      const owner = ownerOf(s, ts.id);
      if (owner && (isKthread(s, owner) || cap.has(owner.pid))) continue;
      if (!owner && /^(?:top|ps)$/.test(ts.comm ?? '')) continue;
      const threadLevel = ts.kind === 'thread' || ts.threadView;
      const nThreads = owner ? Math.max(owner.threads.length, owner.nlwp ?? 0) : 0;
      if (!threadLevel) {
        // A process row's %CPU is the sum of its threads: only a known single-threaded process is one thread.
        if (owner && nThreads === 1) single.push({ p: owner, h: { ts, hot, all } });
        continue;
      }
      const key = owner?.pid ?? -ts.id;
      const l = perProcess.get(key);
      if (l) l.push({ ts, hot, all }); else perProcess.set(key, [{ ts, hot, all }]);
    }
    const out: FindingDraft[] = [];
    for (const [key, hots] of perProcess) out.push(threadFinding(ctx, s, key > 0 ? pidLookup(s).get(key) : undefined, hots));
    for (const { p, h } of single) if (!perProcess.has(p.pid)) out.push(singleFinding(s, p, h));
    return out;
  },
};

function pctRange(bs: readonly Busy[]): string {
  const lo = minOf(bs.map((b) => b.pct));
  const hi = maxOf(bs.map((b) => b.pct));
  return Math.round(lo) === Math.round(hi) ? `${Math.round(hi)}%` : `${Math.round(lo)}–${Math.round(hi)}%`;
}

function samePsr(bs: readonly Busy[]): number | undefined {
  const ps = bs.map((b) => b.psr).filter((x): x is number => x !== undefined);
  return ps.length >= 2 && ps.every((x) => x === ps[0]) ? ps[0] : undefined;
}

/** Refreshes of this input where the whole machine was busy (`%Cpu(s): … 0.0 id`). */
function saturatedRefreshes(ctx: RuleContext, input: string, moments: readonly number[]): number {
  const rs = topRefreshes(ctx.ingest).find((l) => l[0]?.input === input) ?? [];
  return rs.filter((r) => moments.includes(r.moment) && (idlePct(r.meta) ?? 100) < 10).length;
}

function threadName(h: Hot, owner: Process | undefined): string {
  const name = h.ts.comm && owner && h.ts.comm !== procName(owner) ? `thread ${h.ts.comm} ` : 'thread ';
  return `${name}(TID ${h.ts.id})`;
}

function threadFinding(ctx: RuleContext, s: Snapshot, owner: Process | undefined, hots: Hot[]): FindingDraft {
  const sorted = [...hots].sort((a, b) => b.hot.length - a.hot.length || a.ts.id - b.ts.id);
  const main = sorted[0];
  const pid = owner?.pid ?? main.ts.id;
  const label = owner ? procLabel(owner) : `TID ${main.ts.id}`;
  const how = main.ts.top ? `${main.ts.threadView ? 'top -H' : 'top'} refreshes` : 'intervals between moments (CPU-time deltas)';
  const ev: Evidence[] = [];
  if (owner) ev.push(cite(s, owner, `process: ${describeProcess(s, owner)}`, 'args'));
  for (const h of sorted.slice(0, 4)) {
    for (const b of h.hot.slice(0, 4)) {
      ev.push({ text: `${threadName(h, owner)} ${b.state} at ${b.pct.toFixed(1)}% CPU${b.psr !== undefined ? ` on CPU ${b.psr}` : ''} (${main.ts.top ? `refresh ${b.moment + 1}` : `moments ${b.moment}–${b.moment + 1}`})`, pid, input: h.ts.input, line: b.line });
    }
    const cpu = samePsr(h.hot);
    if (cpu !== undefined) ev.push({ text: `${threadName(h, owner)} stays on CPU ${cpu}`, pid });
  }
  // procps 4.0.2 prints the leader with the whole process's CPU: name it so nobody chases it.
  if (owner) {
    const leader = taskSeries(ctx.ingest).find((ts) => ts.input === main.ts.input && ts.id === owner.pid && ts.id !== main.ts.id);
    if (leader) {
      const lb = busyReadings(leader).filter((b) => b.pct >= HOT && b.state !== 'R');
      if (lb.length) ev.push({ text: `the leader TID ${owner.pid} shows ${pctRange(lb)} while ${lb[0].state ?? '?'}: procps prints the whole process's CPU on the leader row; the hot thread is TID ${main.ts.id}`, pid, input: leader.input, line: lb[0].line });
    }
    const psThread = owner.threads.find((t) => t.tid === main.ts.id && t.pcpu !== undefined);
    if (psThread) ev.push({ text: `ps shows TID ${main.ts.id} at ${psThread.pcpu}% — a lifetime average, consistent`, pid });
    const others = owner.threads.filter((t) => !hots.some((h) => h.ts.id === t.tid) && t.tid !== owner.pid);
    if (others.length) ev.push({ text: `${plural(others.length, 'other thread')} of ${label}: ${others.slice(0, 5).map((t) => `${t.tid} ${t.state ?? '?'}`).join(', ')}`, pid });
  }
  const n = cpuCount(s);
  if (n) ev.push({ text: `${n.exact ? n.n : `≥${n.n}`} CPUs: one spinning thread holds ${n.exact ? `${Math.round(100 / n.n)}%` : 'up to a whole core'} of the machine` });
  const sat = main.ts.top ? saturatedRefreshes(ctx, main.ts.input, main.hot.map((b) => b.moment)) : 0;
  const severity = (main.hot.length >= 3 && sat >= 2) || sorted.length >= 2 ? 'high' : 'medium';
  if (sat) ev.push({ text: `the machine had <10% idle CPU in ${plural(sat, 'of those refreshes', 'of those refreshes')}` });
  const name = owner ? argv0(owner.args) || procName(owner) : '';
  const tid = main.ts.id;
  const lang = name === 'java' ? [`printf '%x\\n' ${tid}   # then find nid=0x… in: jstack ${pid} (or jcmd ${pid} Thread.print)`]
    : /^python/.test(name) ? [`py-spy dump --pid ${pid}`] : [];
  const threadsTxt = sorted.length === 1 ? threadName(main, owner) : `${sorted.length} threads (${sorted.map((h) => h.ts.id).join(', ')})`;
  return {
    severity,
    title: `${label}: ${threadsTxt} spinning at ${pctRange(main.hot)} CPU in R across ${main.hot.length} ${how}`,
    pids: [pid],
    summary: `One thread runs flat out while ${owner ? 'the other threads of the process' : 'the rest'} wait: a busy loop (a spin on a flag, a retry without backoff, a stuck parser). It holds one core and adds ~1 to the load. ` +
      'Get its stack (kernel and user) to see where it loops.',
    evidence: ev,
    next: [
      `top -H -b -n 3 -d 1 -p ${pid}`,
      `pidstat -t -p ${pid} 1 5`,
      `cat /proc/${pid}/task/${tid}/stack`,
      `perf top -t ${tid}`,
      ...lang,
    ],
    rootCause: `busy-loop:${pid}`,
    explains: sorted.length,
  };
}

function singleFinding(s: Snapshot, p: Process, h: Hot): FindingDraft {
  return {
    severity: 'low',
    title: `${procLabel(p)} (single-threaded) at ${pctRange(h.hot)} CPU in R across ${h.hot.length} ${h.ts.top ? 'top refreshes' : 'moments'} — CPU-bound`,
    pids: [p.pid],
    summary: 'A single-threaded process using a whole core in every refresh: CPU-bound work or a busy loop. Only a problem if it should be idle.',
    evidence: [cite(s, p, describeProcess(s, p), 'args'), ...h.hot.slice(0, 3).map((b) => ({ text: `${b.pct.toFixed(1)}% CPU, ${b.state}`, pid: p.pid, input: h.ts.input, line: b.line }))],
    next: [`top -b -n 3 -d 1 -p ${p.pid}`, `cat /proc/${p.pid}/stack`, `perf top -p ${p.pid}`],
    rootCause: `busy-loop:${p.pid}`,
    explains: 1,
  };
}
