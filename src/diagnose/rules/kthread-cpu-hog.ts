// P24 Kernel-thread CPU hog — HIGH. `ksoftirqd/N`, `kworker/*`, `kswapd0`, `rcu_*`, `migration/N`
// (any kernel thread) persistently running with high CPU across top refreshes or moments: an
// IRQ/softirq storm, reclaim (→ memory pressure, P07) or a kernel bug.
// Quiet: a single ps is a lifetime average (§4); a kernel thread busy in one refresh only.
import type { Evidence, Process, Snapshot } from '../../model/index.ts';
import type { FindingDraft, Rule } from '../types.ts';
import { cite, describeProcess, isKthread, procLabel } from '../facts.ts';
import {
  busyReadings, hasCpuOverTime, maxOf, minOf, MISSING_CPU_OVER_TIME, ownerOf, taskSeries, type Busy, type TaskSeries,
} from '../facts-moments.ts';

const HOT = 50;
const MIN_REFRESHES = 2;
const KTHREAD_NAME = /^\[?(?:ksoftirqd|kworker|kswapd|rcu_|rcuc|rcuog|rcuop|migration|kcompactd|khugepaged|kthreadd|jbd2|xfsaild|irq\/|kblockd|writeback|kauditd|watchdog|cpuhp|idle_inject|kipmi|md\d|dm-|loop\d|nvme|scsi_|ext4-|btrfs|z_|txg_|spl_)/;

type Kind = 'softirq' | 'reclaim' | 'rcu' | 'worker' | 'irq' | 'other';

function kindOf(name: string): Kind {
  const n = name.replace(/^\[/, '');
  if (/^ksoftirqd/.test(n)) return 'softirq';
  if (/^(?:kswapd|kcompactd|khugepaged)/.test(n)) return 'reclaim';
  if (/^rcu/.test(n)) return 'rcu';
  if (/^irq\//.test(n)) return 'irq';
  if (/^kworker/.test(n)) return 'worker';
  return 'other';
}

const WHY: Record<Kind, string> = {
  softirq: 'ksoftirqd runs softirqs the interrupt path could not finish: a network or block softirq storm (packets, a NIC or driver problem).',
  reclaim: 'kswapd/kcompactd reclaim or compact memory: the host is short of free memory (see memory-reclaim-stall and memory-hog).',
  rcu: 'RCU threads busy for long usually mean a callback flood or a CPU stuck with interrupts off (a kernel bug).',
  irq: 'A threaded interrupt handler runs non-stop: an interrupt storm from one device.',
  worker: 'A kworker runs queued work without pause: its workqueue names the subsystem (writeback, a driver, a filesystem).',
  other: 'A kernel thread runs non-stop: read its stack to see which subsystem.',
};

const NEXT: Record<Kind, string[]> = {
  softirq: ['cat /proc/softirqs; sleep 1; cat /proc/softirqs   # which softirq (NET_RX, BLOCK…) grows', 'cat /proc/interrupts; sleep 1; cat /proc/interrupts', 'sar -n DEV 1 5'],
  reclaim: ['free -m; vmstat 1 5', 'cat /proc/pressure/memory', "grep -E 'Dirty|Writeback|MemAvailable' /proc/meminfo"],
  rcu: ['echo l > /proc/sysrq-trigger; dmesg -T | tail -100   # backtraces of all active CPUs', 'dmesg -T | grep -iE "rcu.*stall"'],
  irq: ['cat /proc/interrupts; sleep 1; cat /proc/interrupts   # the IRQ line that grows'],
  worker: ['echo workqueue:workqueue_execute_start > /sys/kernel/debug/tracing/set_event; sleep 2; head -50 /sys/kernel/debug/tracing/trace; echo > /sys/kernel/debug/tracing/set_event'],
  other: [],
};

export const rule: Rule = {
  id: 'kthread-cpu-hog',
  pattern: 'P24',
  catches: 'kernel threads (ksoftirqd, kworker, kswapd, rcu_*, migration…) running at high CPU across refreshes: IRQ/softirq storms, reclaim, kernel bugs',
  needsText: 'top -b -n 3 (or top -H), or /proc/PID/stat or ps with TIME twice; one ps is a lifetime average',
  missing(ctx) {
    return hasCpuOverTime(ctx.ingest) ? null : MISSING_CPU_OVER_TIME;
  },
  evaluate(ctx) {
    const s = ctx.current;
    const out: FindingDraft[] = [];
    const seen = new Set<number>();
    for (const ts of taskSeries(ctx.ingest)) {
      const owner = ownerOf(s, ts.id);
      const name = ts.comm ?? owner?.comm ?? '';
      const kernel = owner ? isKthread(s, owner) || kernelByName(owner, name) : KTHREAD_NAME.test(name);
      if (!kernel || seen.has(ts.id)) continue;
      const all = busyReadings(ts);
      const hot = all.filter((b) => b.pct >= HOT);
      if (hot.length < MIN_REFRESHES || !hot.some((b) => b.state === 'R')) continue;
      seen.add(ts.id);
      out.push(finding(s, ts, owner, name, hot, all));
    }
    return out;
  },
};

/**
 * A kernel thread known only from top, which prints its comm without brackets and no PPID:
 * ` 1409 root      20   0       0      0      0 R  68.8   0.0   0:14.07 kworker/u8:1+loop0`.
 * The name must be a kernel thread's, and nothing may contradict it: no memory (VIRT/RES 0), a
 * parent (when known) of kthreadd (2) or none.
 */
function kernelByName(p: Process, name: string): boolean {
  if (!KTHREAD_NAME.test(name)) return false;
  if ((p.rssKiB ?? 0) > 0 || (p.vszKiB ?? 0) > 0) return false;
  return p.ppid === null || p.ppid === 2 || p.ppid === 0;
}

function finding(s: Snapshot, ts: TaskSeries, owner: Process | undefined, name: string, hot: Busy[], all: Busy[]): FindingDraft {
  const kind = kindOf(name);
  const pid = owner?.pid ?? ts.id;
  const label = owner ? procLabel(owner) : `[${name.replace(/^\[|\]$/g, '')}] (${ts.id})`;
  const ev: Evidence[] = [];
  if (owner) ev.push(cite(s, owner, describeProcess(s, owner), 'args'));
  for (const b of hot.slice(0, 5)) ev.push({ text: `${label} ${b.state ?? '?'} at ${b.pct.toFixed(1)}% CPU${b.psr !== undefined ? ` on CPU ${b.psr}` : ''} (${ts.top ? `refresh ${b.moment + 1}` : `moment ${b.moment + 1}`})`, pid, input: ts.input, line: b.line });
  ev.push({ text: `${hot.length} of ${all.length} ${ts.top ? 'refreshes' : 'intervals'} at ≥${HOT}% CPU` });
  const lo = Math.round(minOf(hot.map((b) => b.pct)));
  const hi = Math.round(maxOf(hot.map((b) => b.pct)));
  return {
    severity: 'high',
    title: `Kernel thread ${label} busy at ${lo === hi ? `${hi}%` : `${lo}–${hi}%`} CPU across ${hot.length} ${ts.top ? 'refreshes' : 'moments'} — ${kind === 'softirq' ? 'a softirq storm' : kind === 'reclaim' ? 'memory reclaim' : kind === 'irq' ? 'an interrupt storm' : 'kernel work that does not stop'}`,
    pids: [pid],
    summary: WHY[kind] + ' Killing or renicing kernel threads does not help; find the source.',
    evidence: ev,
    next: [
      `cat /proc/${pid}/stack`,
      ...NEXT[kind],
      'perf top -g   # where the kernel spends the CPU',
      'echo l > /proc/sysrq-trigger; dmesg -T | tail -100   # backtraces of all active CPUs',
    ].filter((x, i, a) => a.indexOf(x) === i),
    rootCause: kind === 'reclaim' ? 'memory-pressure' : kind === 'softirq' || kind === 'irq' ? 'irq-storm' : `kthread:${name.replace(/^\[|\]$/g, '')}`,
    explains: 1,
  };
}
