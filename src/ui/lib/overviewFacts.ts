// The few things the overview needs from the full process list, computed once. The worker sends
// them with the findings before the (much bigger) process list, so findings show at once on a
// 100k-process paste.
import type { Process, Snapshot } from '../../model/snapshot.ts';

export interface OverviewFacts {
  kernelThreads: number;
  users: number;
  topCpu: Process[];
  topRss: Process[];
}

function topBy(ps: readonly Process[], key: 'pcpu' | 'rssKiB', n: number): Process[] {
  const out: Process[] = [];
  for (const p of ps) {
    const v = p[key];
    if (v === undefined || v <= 0) continue;
    if (out.length === n && v <= (out[n - 1][key] ?? 0)) continue;
    out.push(p);
    out.sort((a, b) => (b[key] ?? 0) - (a[key] ?? 0) || a.pid - b.pid);
    if (out.length > n) out.pop();
  }
  return out;
}

export function overviewFacts(s: Snapshot, n = 5): OverviewFacts {
  let kernelThreads = 0;
  const users = new Set<string>();
  for (const p of s.processes) {
    if (p.isKernelThread) kernelThreads++;
    if (p.user) users.add(p.user);
  }
  return { kernelThreads, users: users.size, topCpu: topBy(s.processes, 'pcpu', n), topRss: topBy(s.processes, 'rssKiB', n) };
}
