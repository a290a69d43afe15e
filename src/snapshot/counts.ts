// State counts per process and per thread. A process's STAT is its main thread only, so the
// per-thread counts are what load average sees (heuristics.md §0).
import type { Counts, Process } from '../model/index.ts';

export function countStates(processes: readonly Process[]): Counts {
  const byState: Record<string, number> = {};
  const threadsByState: Record<string, number> = {};
  let threads = 0;
  let threadsShown = false;
  for (const p of processes) {
    const s = p.state ?? '?';
    byState[s] = (byState[s] ?? 0) + 1;
    if (p.threads.length > 0) {
      threadsShown = true;
      for (const t of p.threads) {
        const ts = t.state ?? '?';
        threadsByState[ts] = (threadsByState[ts] ?? 0) + 1;
      }
      threads += p.threads.length;
    } else {
      threadsByState[s] = (threadsByState[s] ?? 0) + 1;
      threads += 1;
    }
  }
  return { processes: processes.length, threads, threadsShown, byState, threadsByState };
}
