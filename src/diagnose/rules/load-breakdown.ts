// P22 Load explained: D vs R vs CPUs — MED/HIGH. Load average is an exponentially damped count of
// R + D *threads* (`/proc/loadavg` `7.49 6.65 3.68 13/292 20`), so it is read against the CPU count
// and the R/D thread counts of the capture (heuristics.md P22, §2 step 2):
//   R ≈ load1 > nCPU                 → CPU saturation;
//   D ≥ half the load, R < nCPU       → blocked I/O or locks: "high load, low CPU" (and no iowait
//                                       for lock/NFS waits: process-notes "D raises load but not iowait");
//   load1 ≫ R+D now, load1 < load5/15 → a past spike decaying (load lags: 1-min EWMA).
// Quiet: load1 ≤ nCPU with no D; a PID-namespace capture only sees its own tasks while the load is
// host-wide, so unless its D tasks explain the load it stays INFO; the capture's own ps is left out.
import type { Evidence } from '../../model/index.ts';
import type { Rule, RuleContext } from '../types.ts';
import {
  CAPTURE, captureSet, causeOrder, citeTask, countNames, describeTask, hasStates, isIdleKernelWait, isNamespaceSnapshot, pidLookup, plural, rootCauseOf,
  tasksInStates, uniquePids, waitSymbol,
} from '../facts.ts';
import { cpuCount, loadReadings } from '../facts-moments.ts';

function loadOf(ctx: RuleContext): { load: [number, number, number]; input?: string; line?: number } | undefined {
  const rs = loadReadings(ctx.ingest).filter((r) => r.load !== undefined);
  const last = rs[rs.length - 1];
  const m = ctx.current.meta.load;
  if (m) {
    const same = rs.find((r) => r.load![0] === m[0] && r.load![1] === m[1] && r.load![2] === m[2]);
    return { load: m, ...(same ? { input: same.input, line: same.line } : {}) };
  }
  return last ? { load: last.load!, input: last.input, line: last.line } : undefined;
}

// top's `%Cpu(s): 50.0 us, 50.0 sy,  0.0 ni,  0.0 id,  0.0 wa` says the CPUs are busy: below this much
// idle the load is not "high load, low CPU", whatever the listed tasks are doing.
const BUSY_IDLE = 10;

const f2 = (x: number): string => x.toFixed(2);
/** `2 CPUs`, or `≥2 CPUs` when only PSR gave a lower bound. */
const cpus = (n: { n: number; exact: boolean }): string => `${n.exact ? '' : '≥'}${n.n} CPU${n.n === 1 && n.exact ? '' : 's'}`;

export const rule: Rule = {
  id: 'load-breakdown',
  pattern: 'P22',
  catches: 'what the load average is made of: CPU saturation (R), blocked I/O or locks (D, high load with low CPU), or a past spike decaying',
  needsText: 'the load average (/proc/loadavg or a top header), nproc, and per-thread states (ps -eLo stat or top -H)',
  missing(ctx) {
    if (!loadOf(ctx)) return 'no load average: capture `cat /proc/loadavg` and `nproc`';
    if (!hasStates(ctx.current)) return CAPTURE.states;
    return null;
  },
  evaluate(ctx) {
    const s = ctx.current;
    const L = loadOf(ctx)!;
    const [l1, l5, l15] = L.load;
    const n = cpuCount(s);
    const cap = captureSet(s);
    // Only R and D count: the tasks in those states, not a Task for every process of a 1M paste.
    const tasks = tasksInStates(s, 'RD').filter((t) => !t.kernelOnly && !cap.has(t.pid) && !isIdleKernelWait(t));
    const R = tasks.filter((t) => t.state === 'R');
    const D = tasks.filter((t) => t.state === 'D');
    const r = R.length;
    const d = D.length;
    const ns = isNamespaceSnapshot(s);
    const ratio = n ? l1 / n.n : undefined;
    const idle = s.meta.cpu?.id;
    const cpuBusy = idle !== undefined && idle < BUSY_IDLE;
    // A filtered listing (`top -p 2,14,1409,…`, `ps -p …`): a whole host always lists PID 1, and a
    // PID namespace lists its own init as 1. Its R and D are only the tasks someone chose to show.
    const filtered = !ns && s.processes.length > 0 && !pidLookup(s).has(1);
    const shown = filtered ? ' in this filtered listing (top -p / ps -p: not all tasks)' : ns ? ' in this PID namespace (the load is host-wide)' : '';
    // Nothing to explain: load within the CPUs and nobody blocked.
    if (d === 0 && (ratio !== undefined ? ratio <= 1 : l1 < 1)) return [];

    const ev: Evidence[] = [{ text: `load average ${f2(l1)} ${f2(l5)} ${f2(l15)} (1/5/15 min)`, ...(L.input ? { input: L.input, line: L.line } : {}) }];
    ev.push({ text: n ? `${n.n} CPUs${n.exact ? '' : ` (${n.how})`}: load1/CPUs = ${f2(l1 / n.n)}` : 'CPU count unknown: capture `nproc`' });
    const per = s.counts.threadsShown ? 'threads' : 'processes (threads not shown: a multi-threaded process counts once)';
    ev.push({ text: `now: ${r} R and ${d} D ${per}${shown}` });
    if (d) ev.push({ text: `D: ${countNames(D.map((t) => `${t.comm}${waitSymbol(t) ? ` in ${waitSymbol(t)}` : ''}`), 5)}`, pid: D[0].pid });
    if (r) ev.push({ text: `R: ${countNames(R.map((t) => t.comm), 5)}`, pid: R[0].pid });
    const m = s.meta;
    if (m.runnable !== undefined && m.totalTasks !== undefined) ev.push({ text: `host-wide: ${m.runnable} runnable of ${m.totalTasks} threads (loadavg field 4)` });
    if (m.procsBlocked !== undefined) ev.push({ text: `/proc/stat procs_blocked ${m.procsBlocked} (counts only tasks waiting on block I/O, not lock or NFS waits)` });
    const wa = m.cpu?.wa;
    // iowait is idle time with I/O pending: with no idle CPU it stays 0 whatever the D tasks wait on.
    if (wa !== undefined) ev.push({ text: `top: ${wa}% iowait, ${m.cpu?.id ?? '?'}% idle${cpuBusy ? ' — the CPUs are busy (no idle time, so no iowait either)' : d && wa < 5 ? ' — D tasks on locks or network filesystems raise load but not iowait' : ''}` });
    const trend = l1 > l5 && l5 > l15 ? 'rising' : l1 < l5 || l1 < l15 ? 'falling' : 'steady';
    ev.push({ text: `trend: ${trend} (load1 ${trend === 'rising' ? '>' : trend === 'falling' ? '<' : '≈'} load5/15)` });

    const next = [
      'uptime; nproc',
      'vmstat 1 5   # r (runnable) vs b (blocked)',
      'mpstat -P ALL 1 3',
      "ps -eLo stat= | cut -c1 | sort | uniq -c",
    ];
    const dOrdered = causeOrder(s, D);
    const Rsorted = [...R].sort((a, b) => (b.proc.pcpu ?? 0) - (a.proc.pcpu ?? 0));
    const base = { evidence: ev, next } as const;

    // Many D tasks, but top says the CPUs are busy: the load is CPU work plus blocked tasks, not
    // "high load, low CPU". Say so, without an alarm: what runs may be outside the listing.
    if (d >= Math.max(1, 0.5 * l1) && cpuBusy) {
      return [{
        ...base,
        severity: 'low',
        title: `Load ${f2(l1)}${n ? ` on ${cpus(n)}` : ''} with the CPUs busy (top: ${idle}% idle): ${plural(d, 'task')} in D and ${r} running${shown} — CPU work and blocked tasks both make the load`,
        pids: uniquePids([...dOrdered, ...Rsorted]),
        summary: `top shows the CPUs ${idle}% idle, so the load is not only blocked tasks: CPU work makes part of it${filtered ? ', some of it by tasks this filtered listing does not show' : ''}. ` +
          'Find what the D tasks wait on, and what uses the CPUs (top sorted by %CPU over the whole host).',
        next: ['top -b -n 2 -d 1 -o %CPU | head -30', "ps -eLo stat,wchan:32,comm | awk '$1~/^D/' | sort | uniq -c | sort -rn", ...next],
        rootCause: rootCauseOf(D) ?? 'load',
        explains: d + r,
      }];
    }
    // D explains at least half of the load while the CPUs are not all busy: blocked, not busy.
    if (d >= Math.max(1, 0.5 * l1) && (n === undefined || r < n.n)) {
      // HIGH only on firm ground: a known CPU count (PSR gives a lower bound, so the ratio could be
      // smaller) and as many blocked tasks as make a HIGH D cluster (§3: ≥10).
      const severity = ratio !== undefined && ratio > 2 && n!.exact && d >= 10 ? 'high' : (ratio !== undefined && ratio > 1) || d >= 3 ? 'medium' : 'low';
      return [{
        ...base,
        severity,
        title: `Load ${f2(l1)}${n ? ` on ${cpus(n)}` : ''} is mostly D: ${plural(d, 'task')} blocked, ${r} running — high load, low CPU (I/O or locks)`,
        pids: uniquePids(dOrdered),
        summary: 'Load counts tasks in uninterruptible sleep as well as runnable ones. Here the blocked tasks make up the load, not CPU work: find what they wait on (the D cluster, a device, a mount or a lock). ' +
          'D tasks on locks or NFS raise load without raising iowait.',
        next: ["ps -eLo stat,wchan:32,comm | awk '$1~/^D/' | sort | uniq -c | sort -rn", 'iostat -xz 1 3', ...next],
        rootCause: rootCauseOf(D) ?? 'd-state',
        explains: d + r,
      }];
    }
    // Runnable threads make up the load and outnumber the CPUs: CPU saturation. Busy is not broken:
    // work that is only queueing for CPUs is LOW (a busy but healthy host), MED while it still rises.
    // The finding is about the host, so it names no process as the cause; the consumers are evidence.
    if (n && r > n.n && r >= 0.5 * l1) {
      for (const t of Rsorted.slice(0, 5)) ev.push(citeTask(s, t, `runnable: ${describeTask(s, t)}${t.proc.pcpu !== undefined ? `, ${t.proc.pcpu}% CPU` : ''}`, 'stat'));
      return [{
        ...base,
        severity: trend === 'rising' && ratio! > 2 && !ns ? 'medium' : 'low',
        title: `CPU saturated: load ${f2(l1)} on ${cpus(n)} is ${r} runnable ${s.counts.threadsShown ? 'threads' : 'processes'} (${countNames(Rsorted.map((t) => t.comm), 3)}), nothing blocked${trend === 'rising' ? ' — rising' : ''}`,
        pids: [],
        summary: `More threads want to run than there are CPUs, and they are what the load is made of${d ? '' : '; nothing waits in D'}. That is demand, not a hang: tasks queue for CPU and run slower. ` +
          'If it is not expected work, find the top consumers (top, pidstat) and why they run.',
        next: ['top -b -n 2 -d 1 -o %CPU | head -30', 'pidstat -t 1 5', ...next],
        rootCause: 'cpu-saturation',
        explains: r + d,
      }];
    }
    // Neither: the load is not made of what runs now.
    const unexplained = l1 > 2 * (r + d) && (n === undefined || l1 > n.n);
    if (unexplained) {
      const past = trend === 'falling';
      const title = ns
        ? `Host load ${f2(l1)}${n ? ` on ${cpus(n)}` : ''} is not from this namespace: it holds ${r} R and ${d} D`
        : past
          ? `Load ${f2(l1)} is left over from earlier: only ${r} R and ${d} D now, and it is falling (load1 < load5/15)`
          : `Load ${f2(l1)}${n ? ` on ${cpus(n)}` : ''} but only ${r} R and ${d} D in the capture`;
      return [{
        ...base,
        severity: ns || past || !s.counts.threadsShown ? (ns ? 'info' : 'low') : 'medium',
        title,
        pids: uniquePids([...dOrdered, ...Rsorted]),
        summary: ns
          ? 'A capture inside a PID namespace sees only its own tasks, while /proc/loadavg is host-wide: other containers or the host make this load. Capture the host to explain it.'
          : past
            ? 'The 1-minute load is a damped average (about 63% from the last minute): it lags reality. The tasks that made it have finished; nothing now explains it.'
            : `Load is made of R and D threads, but the capture shows few of them.${s.counts.threadsShown ? '' : ' It shows processes only: a multi-threaded process with many R or D threads counts once here, so capture threads (`ps -eLo stat`).'} Short bursts between samples also raise it.`,
        rootCause: ns ? 'host-load' : 'past-load',
        explains: r + d,
      }];
    }
    if (ratio !== undefined && ratio > 1) {
      return [{
        ...base,
        severity: ns ? 'info' : ratio > 2 ? 'medium' : 'low',
        title: `Load ${f2(l1)} on ${cpus(n!)} (${f2(ratio)} per CPU): ${r} R and ${d} D ${s.counts.threadsShown ? 'threads' : 'processes'}`,
        pids: uniquePids([...dOrdered, ...Rsorted]),
        summary: 'The load is above the CPU count, split between runnable and blocked tasks. Compare vmstat r and b over a few seconds to see which side grows.',
        rootCause: 'load',
        explains: r + d,
      }];
    }
    return [];
  },
};
