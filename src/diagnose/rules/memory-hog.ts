// P25 Memory hog / near OOM — HIGH, CRIT when OOM kills repeat. Evidence: a process at %MEM ≥50
// (`3 96.4 53.1 … 13108448 … java -Xms1g -Xmx16g -jar /opt/app/report-builder.jar`), growth between
// captures (6.3 GB → 13.1 GB in 16 s), ΣRSS ≥90% of MemTotal, kswapd running, and the kernel's
// `Out of memory: Killed process` lines. The next allocation triggers the OOM killer, whose victim
// (by oom_score) may not be the hog.
// Quiet on purpose: a process that holds half of RAM but is not growing while ≥40% is still
// available is MED, not HIGH; ΣRSS is only judged on a whole host (a namespace sees a few processes,
// and RSS double-counts shared pages, so it is evidence rather than proof).
import type { Evidence, Process, Snapshot } from '../../model/index.ts';
import type { FindingDraft, Rule, RuleContext } from '../types.ts';
import {
  captureSet, cite, describeProcess, fmtDuration, isKthread, isNamespaceSnapshot, kernelEvents, kernelLogInputName,
  plural, procLabel, procName, provides, tasksOf,
} from '../facts.ts';
import { fmtKiB, memTotalKiB, processSeries, snapshotGap } from '../facts-moments.ts';

const HOG_PCT = 50;
const GROW_PCT = 25;           // a grower is reported once it holds this much of RAM
const GROW_MIN_KIB = 256 * 1024;
const SUM_PCT = 90;
const AVAIL_OK = 0.4;

interface Growth { firstKiB: number; lastKiB: number; sec?: number; moments: number }

function growthOf(ctx: RuleContext, p: Process): Growth | undefined {
  if (ctx.snapshots.length < 2 || p.rssKiB === undefined) return undefined;
  const series = processSeries(ctx.snapshots, p).filter((x) => x.p.rssKiB !== undefined);
  if (series.length < 2) return undefined;
  const first = series[0];
  const last = series[series.length - 1];
  const d = last.p.rssKiB! - first.p.rssKiB!;
  if (d < GROW_MIN_KIB || d < first.p.rssKiB! * 0.2) return undefined;
  const sec = snapshotGap(first.s, last.s);
  return { firstKiB: first.p.rssKiB!, lastKiB: last.p.rssKiB!, moments: series.length, ...(sec !== undefined ? { sec } : {}) };
}

function oomKills(s: Snapshot): string[] {
  return kernelEvents(s, 'kernel.oom').filter((l) => /Killed process \d+|oom-kill:/.test(l) && !/oom_reaper/.test(l));
}

export const rule: Rule = {
  id: 'memory-hog',
  pattern: 'P25',
  catches: 'a process at ≥50% of RAM or growing fast between captures, RSS summing to ≥90% of RAM, or OOM kills in the kernel log',
  needsText: 'RSS or %MEM per process (ps aux) and MemTotal (top header, free -m); two captures show growth; dmesg shows OOM kills',
  missing(ctx) {
    const s = ctx.current;
    if (provides(s, 'rssKiB') || provides(s, 'pmem') || kernelEvents(s, 'kernel.oom').length > 0) return null;
    return 'no memory columns: capture `ps aux --sort=-rss | head -20` (RSS, %MEM) and `free -m`';
  },
  evaluate(ctx) {
    const s = ctx.current;
    const total = memTotalKiB(s);
    const cap = captureSet(s);
    const pct = (p: Process): number | undefined => p.pmem ?? (p.rssKiB !== undefined && total ? (p.rssKiB / total.kib) * 100 : undefined);
    const procs = s.processes.filter((p) => p.state !== 'Z' && !cap.has(p.pid) && !isKthread(s, p));
    const kills = oomKills(s);
    const out: FindingDraft[] = [];
    const reported = new Set<number>();
    for (const p of procs) {
      const m = pct(p);
      const g = growthOf(ctx, p);
      if (m === undefined) continue;
      if (m >= HOG_PCT || (g && m >= GROW_PCT)) {
        out.push(hogFinding(s, p, m, g, total, kills));
        reported.add(p.pid);
      }
    }
    // ΣRSS near MemTotal on a whole host, with no single hog to blame.
    if (out.length === 0 && total && !isNamespaceSnapshot(s)) {
      const sum = procs.reduce((a, p) => a + (p.rssKiB ?? 0), 0);
      if (sum >= (total.kib * SUM_PCT) / 100) out.push(sumFinding(s, procs, sum, total.kib, kills));
    }
    if (out.length === 0 && kills.length > 0) out.push(oomOnlyFinding(s, kills));
    return out;
  },
};

function kswapdBusy(s: Snapshot): string | undefined {
  const k = tasksOf(s).find((t) => t.kthread && /^\[?kswapd/.test(t.comm) && t.state === 'R');
  return k ? `${procLabel(k.proc)} is running (R): the kernel is reclaiming memory` : undefined;
}

function memLine(s: Snapshot, total: { kib: number; exact: boolean } | undefined): Evidence | undefined {
  const m = s.meta.memKiB;
  if (m && m.total) {
    const parts = [`MemTotal ${fmtKiB(m.total)}`];
    if (m.avail !== undefined) parts.push(`available ${fmtKiB(m.avail)} (${Math.round((m.avail / m.total) * 100)}%)`);
    if (m.swapTotal !== undefined) parts.push(m.swapTotal === 0 ? 'no swap' : `swap used ${fmtKiB(m.swapUsed ?? 0)} of ${fmtKiB(m.swapTotal)}`);
    return { text: parts.join(', ') };
  }
  return total ? { text: `MemTotal ≈ ${fmtKiB(total.kib)} (derived from RSS and %MEM)` } : undefined;
}

function killEvidence(s: Snapshot, kills: readonly string[]): Evidence[] {
  const input = kernelLogInputName(s);
  return kills.slice(0, 4).map((k) => ({ text: `kernel: ${k.trim()}`, ...(input ? { input } : {}) }));
}

function nextFor(pid: number, name: string): string[] {
  const lang = /^java$/.test(name) ? [`jcmd ${pid} GC.heap_info   # heap vs RSS`] : /^python/.test(name) ? [`py-spy dump --pid ${pid}`] : [];
  return [
    'free -m',
    'ps aux --sort=-rss | head -15',
    `grep -E 'VmRSS|VmSwap|RssAnon' /proc/${pid}/status; cat /proc/${pid}/oom_score`,
    `cat /proc/${pid}/cgroup   # then memory.current, memory.max, memory.events (v2) or memory.usage_in_bytes, limit_in_bytes, failcnt (v1) of that cgroup`,
    'cat /proc/pressure/memory',
    "dmesg -T | grep -iE 'out of memory|oom-kill|killed process'",
    ...lang,
  ];
}

function hogFinding(s: Snapshot, p: Process, pct: number, g: Growth | undefined, total: { kib: number; exact: boolean } | undefined, kills: readonly string[]): FindingDraft {
  const name = procName(p);
  const ev: Evidence[] = [cite(s, p, `${describeProcess(s, p)}; RSS ${p.rssKiB !== undefined ? fmtKiB(p.rssKiB) : '?'}, ${pct.toFixed(1)}% of RAM`, p.pmem !== undefined ? 'pmem' : 'rssKiB')];
  if (g) ev.push({ text: `RSS grew ${fmtKiB(g.firstKiB)} → ${fmtKiB(g.lastKiB)} across ${g.moments} moments${g.sec !== undefined ? ` ${fmtDuration(g.sec)} apart (${fmtKiB(((g.lastKiB - g.firstKiB) / g.sec))}/s)` : ''}`, pid: p.pid });
  const ml = memLine(s, total);
  if (ml) ev.push(ml);
  const k = kswapdBusy(s);
  if (k) ev.push({ text: k });
  ev.push(...killEvidence(s, kills));
  const avail = s.meta.memKiB?.avail !== undefined && s.meta.memKiB.total ? s.meta.memKiB.avail / s.meta.memKiB.total : undefined;
  let severity: FindingDraft['severity'] = pct >= HOG_PCT ? 'high' : 'medium';
  if (pct >= HOG_PCT && !g && avail !== undefined && avail >= AVAIL_OK && kills.length === 0) severity = 'medium';
  // An OOM line is definitive (§3); repeated kills make it critical.
  if (kills.length > 0) severity = kills.length >= 2 ? 'critical' : 'high';
  const grew = g ? `, grew from ${fmtKiB(g.firstKiB)}${g.sec !== undefined ? ` in ${fmtDuration(g.sec)}` : ''}` : '';
  return {
    severity,
    title: `${procLabel(p)} holds ${p.rssKiB !== undefined ? fmtKiB(p.rssKiB) : `${pct.toFixed(0)}% of RAM`} RSS${p.rssKiB !== undefined ? ` (${pct.toFixed(0)}% of RAM)` : ''}${grew}${kills.length ? ` — the OOM killer has already run ${plural(kills.length, 'time')}` : ' — near OOM'}`,
    pids: [p.pid],
    summary: `One process holds ${pct >= HOG_PCT ? 'over half' : 'a large share'} of the machine's memory${g ? ' and is still growing' : ''}. ` +
      'The next allocation that cannot be met triggers the OOM killer, and its victim is chosen by oom_score, so it may not be this process; containers die with 137/OOMKilled. ' +
      'Check its cgroup limit and whether the growth is a leak or a cache.',
    evidence: ev,
    next: nextFor(p.pid, name),
    rootCause: 'memory-pressure',
    explains: 1,
  };
}

function sumFinding(s: Snapshot, procs: Process[], sum: number, totalKiB: number, kills: readonly string[]): FindingDraft {
  const top = [...procs].filter((p) => p.rssKiB !== undefined).sort((a, b) => b.rssKiB! - a.rssKiB!).slice(0, 5);
  const ev: Evidence[] = [{ text: `ΣRSS of ${procs.length} processes = ${fmtKiB(sum)}, ${Math.round((sum / totalKiB) * 100)}% of MemTotal ${fmtKiB(totalKiB)} (RSS counts shared pages in every process, so this overstates)` }];
  for (const p of top) ev.push(cite(s, p, `${procLabel(p)} RSS ${fmtKiB(p.rssKiB!)}`, 'rssKiB'));
  const k = kswapdBusy(s);
  if (k) ev.push({ text: k });
  ev.push(...killEvidence(s, kills));
  return {
    severity: kills.length >= 2 ? 'critical' : 'high',
    title: `Memory nearly full: ΣRSS ${fmtKiB(sum)} is ${Math.round((sum / totalKiB) * 100)}% of RAM (largest: ${top.slice(0, 3).map(procLabel).join(', ')})`,
    pids: top.map((p) => p.pid),
    summary: 'The resident memory of all processes adds up to nearly all of RAM. The next allocation may trigger the OOM killer.',
    evidence: ev,
    next: nextFor(top[0]?.pid ?? 1, top[0] ? procName(top[0]) : ''),
    rootCause: 'memory-pressure',
    explains: top.length,
  };
}

function oomOnlyFinding(s: Snapshot, kills: readonly string[]): FindingDraft {
  const victims = kills.map((l) => /Killed process (\d+) \(([^)]*)\)/.exec(l)).filter((m): m is RegExpExecArray => m !== null);
  return {
    severity: kills.length >= 2 ? 'critical' : 'high',
    title: `The OOM killer ran${victims.length ? ` and killed ${victims.slice(0, 3).map((m) => `${m[2]} (${m[1]})`).join(', ')}` : ''}${kills.length >= 2 ? ` — ${plural(kills.length, 'kill')}` : ''}`,
    pids: victims.map((m) => Number(m[1])).filter((pid) => s.processes.some((p) => p.pid === pid)),
    summary: 'The kernel ran out of memory (or a cgroup hit its limit) and killed a process. Repeated kills mean the pressure is still there.',
    evidence: killEvidence(s, kills),
    next: ["dmesg -T | grep -iE -B5 -A25 'invoked oom-killer'   # the task list and the cgroup it hit", 'free -m', 'ps aux --sort=-rss | head -15', 'cat /proc/pressure/memory'],
    rootCause: 'memory-pressure',
    explains: victims.length,
  };
}
