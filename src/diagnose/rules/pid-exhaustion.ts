// P16 PID/task exhaustion risk — HIGH ≥80%, CRIT ≥95%. Total tasks (the denominator of
// /proc/loadavg field 4, `13/292`, counts threads) against the lowest of kernel.pid_max,
// kernel.threads-max and the cgroup's pids.max. A host hung near pid_max 65536 (SUSE KB 000020612);
// some installs default to 32768 (Kubernetes PID limiting docs).
// Without any limit in the input, the rule still judges a task count that is ≥80% of 32768 — the
// smallest common default — and says the limits were not captured; below that it reports what to
// capture instead of passing silently.
import type { Evidence } from '../../model/index.ts';
import type { FindingDraft, Rule, RuleContext } from '../types.ts';
import { captureSet, countNames, isNamespaceSnapshot, pidLookup, plural } from '../facts.ts';
import { loadReadings } from '../facts-moments.ts';

const HIGH = 0.8;
const CRIT = 0.95;
const DEFAULT_PID_MAX = 32768;

interface Count { n: number; how: string; input?: string; line?: number }

/** Host-wide task (thread) count: loadavg's total, top's `Threads:` total, else the threads a host capture shows. */
function hostTasks(ctx: RuleContext): Count | undefined {
  const s = ctx.current;
  const rs = loadReadings(ctx.ingest).filter((r) => r.totalTasks !== undefined);
  const last = rs[rs.length - 1];
  if (last) return { n: last.totalTasks!, how: '/proc/loadavg field 4 (all threads)', input: last.input, line: last.line };
  if (s.meta.totalTasks !== undefined) return { n: s.meta.totalTasks, how: '/proc/loadavg field 4 (all threads)' };
  const tt = s.meta.topTasks;
  if (tt && tt.unit === 'threads') return { n: tt.total, how: "top's Threads: line" };
  if (!isNamespaceSnapshot(s) && s.counts.threadsShown) return { n: s.counts.threads, how: 'threads in the capture' };
  if (tt && !isNamespaceSnapshot(s)) return { n: tt.total, how: "top's Tasks: line (processes; threads would be more)" };
  return undefined;
}

/** Tasks of the capture's own scope (a container's cgroup): for pids.max. */
function scopeTasks(ctx: RuleContext): Count {
  const s = ctx.current;
  return { n: s.counts.threads, how: s.counts.threadsShown ? 'threads in the capture' : 'processes in the capture (threads not shown)' };
}

/** The tasks of a PID namespace snapshot: each PID it uses (threads take PIDs too). */
function namespaceTasks(ctx: RuleContext): Count {
  const s = ctx.current;
  // The collector's own shell, ps, cat… hold PIDs only while it runs: left out (§4).
  const cap = captureSet(s);
  // Only what the input that listed the namespace's PID 1 listed: another file pasted beside it may
  // come from the host or another namespace, whose PIDs are not this namespace's.
  const inputOf = (i: number): string | undefined => s.sources[i]?.input;
  const one = pidLookup(s).get(1);
  const nsInputs = new Set(one ? one.src.map((r) => inputOf(r.s)) : []);
  let n = 0;
  let own = 0;
  for (const p of s.processes) {
    if (nsInputs.size && !p.src.some((r) => nsInputs.has(inputOf(r.s)))) continue;
    const k = p.threads.length || 1;
    if (cap.has(p.pid)) own += k; else n += k;
  }
  const what = s.counts.threadsShown ? 'threads' : 'processes (threads not shown)';
  return { n, how: `${what} in this PID namespace${own ? `, not counting the capture's own ${own}` : ''}` };
}

export const rule: Rule = {
  id: 'pid-exhaustion',
  pattern: 'P16',
  catches: 'total tasks near the lowest of pid_max, threads-max and the cgroup pids.max (≥80% HIGH, ≥95% CRIT)',
  needsText: '/proc/loadavg (total threads) and the limits: /proc/sys/kernel/pid_max, threads-max, cgroup pids.max (the collector bundle has them)',
  missing(ctx) {
    const s = ctx.current;
    const t = hostTasks(ctx);
    const hasLimit = s.meta.pidMax !== undefined || s.meta.threadsMax !== undefined || s.meta.pidsLimit !== undefined;
    if (!t && s.meta.pidsLimit === undefined) return 'no task count: capture `cat /proc/loadavg` (field 4: runnable/total threads)';
    if (!hasLimit && (!t || t.n < DEFAULT_PID_MAX * HIGH)) {
      return 'no PID limits: capture `cat /proc/sys/kernel/pid_max /proc/sys/kernel/threads-max` and, in a container, `cat /sys/fs/cgroup/pids.max /sys/fs/cgroup/pids.current`';
    }
    return null;
  },
  evaluate(ctx) {
    const s = ctx.current;
    const host = hostTasks(ctx);
    const checks: Array<{ name: string; limit: number; count: Count }> = [];
    const ns = isNamespaceSnapshot(s);
    if (s.meta.pidMax !== undefined) {
      if (ns) {
        // Since Linux 6.14 kernel.pid_max is per PID namespace, and a capture inside one reads the
        // namespace's own (`pid_max=400` while loadavg's host-wide total is `9/493`): count the
        // namespace's tasks. Before 6.14 it is the host's limit, so the host total is checked too
        // whenever it fits under the limit (a host total above it shows the limit is not the host's).
        checks.push({ name: 'kernel.pid_max', limit: s.meta.pidMax, count: namespaceTasks(ctx) });
        if (host && host.n <= s.meta.pidMax) checks.push({ name: 'kernel.pid_max (host-wide before Linux 6.14)', limit: s.meta.pidMax, count: host });
      } else if (host) {
        checks.push({ name: 'kernel.pid_max', limit: s.meta.pidMax, count: host });
      }
    }
    if (host && s.meta.threadsMax !== undefined) checks.push({ name: 'kernel.threads-max', limit: s.meta.threadsMax, count: host });
    if (s.meta.pidsLimit !== undefined) checks.push({ name: 'cgroup pids.max', limit: s.meta.pidsLimit, count: ns || !host ? scopeTasks(ctx) : host });
    const assumed = checks.length === 0 && host !== undefined;
    if (assumed) checks.push({ name: 'the 32768 default pid_max (limits not captured)', limit: DEFAULT_PID_MAX, count: host! });
    const worst = checks.filter((c) => c.limit > 0).map((c) => ({ ...c, ratio: c.count.n / c.limit })).sort((a, b) => b.ratio - a.ratio)[0];
    if (!worst || worst.ratio < HIGH) return [];
    const severity: FindingDraft['severity'] = assumed ? 'medium' : worst.ratio >= CRIT ? 'critical' : 'high';
    const pct = Math.round(worst.ratio * 100);
    const ev: Evidence[] = [
      { text: `${worst.count.n} tasks (${worst.count.how}) of ${worst.limit} allowed by ${worst.name}: ${pct}%`, ...(worst.count.input ? { input: worst.count.input, line: worst.count.line } : {}) },
    ];
    for (const c of checks) if (c.name !== worst.name) ev.push({ text: `${c.name} = ${c.limit} (${Math.round((c.count.n / c.limit) * 100)}% used)` });
    // Who holds them: the biggest thread counts and the commands that repeat most.
    const byThreads = [...s.processes].filter((p) => (p.nlwp ?? p.threads.length) > 1).sort((a, b) => (b.nlwp ?? b.threads.length) - (a.nlwp ?? a.threads.length)).slice(0, 3);
    for (const p of byThreads) ev.push({ text: `${p.comm ?? p.pid} (${p.pid}) has ${p.nlwp ?? p.threads.length} threads`, pid: p.pid });
    const names = countNames(s.processes.map((p) => p.comm ?? ''), 3);
    if (names) ev.push({ text: `most common commands: ${names}` });
    const topParents = [...s.processes].sort((a, b) => b.children.length - a.children.length).slice(0, 1).filter((p) => p.children.length >= 20);
    for (const p of topParents) ev.push({ text: `${p.comm ?? p.pid} (${p.pid}) has ${plural(p.children.length, 'child', 'children')}`, pid: p.pid });
    return [{
      severity,
      title: `PID space ${pct}% used: ${worst.count.n} of ${worst.limit} tasks (${worst.name}) — the next forks will fail with EAGAIN`,
      pids: [...byThreads.map((p) => p.pid), ...topParents.map((p) => p.pid)].filter((x, i, a) => a.indexOf(x) === i),
      summary: 'When tasks reach the limit, fork() and clone() fail with "Resource temporarily unavailable": services cannot start workers, shells cannot run commands, and the node can hang. ' +
        'Find who holds the tasks (threads per process, children per parent) and raise or enforce limits.' +
        (assumed ? ' The limits were not in the capture: this compares with the smallest common default.' : ''),
      evidence: ev,
      next: [
        'cat /proc/sys/kernel/pid_max /proc/sys/kernel/threads-max /proc/loadavg',
        'cat /sys/fs/cgroup/pids.max /sys/fs/cgroup/pids.current   # in the container or the pod cgroup',
        'ps -eLo user= | sort | uniq -c | sort -rn | head   # threads per user',
        'ps -eo nlwp=,pid=,comm= | sort -rn | head   # threads per process',
        'ps -eo ppid= | sort | uniq -c | sort -rn | head   # children per parent',
        'sysctl -w kernel.pid_max=4194304   # headroom while you fix the leak',
      ],
      rootCause: 'pid-space',
      explains: worst.count.n,
    }];
  },
};
