// State counts per process and per thread. A process's STAT is its main thread only, so the
// per-thread counts are what load average sees (heuristics.md §0).
import type { Counts, Process } from '../model/index.ts';

/** Counts process by process, so linkGraph can count in the pass it already makes. */
export class StateTally {
  readonly byState: Record<string, number> = {};
  readonly threadsByState: Record<string, number> = {};
  processes = 0;
  threads = 0;
  threadsShown = false;

  add(p: Process): void {
    const s = p.state ?? '?';
    this.processes++;
    this.byState[s] = (this.byState[s] ?? 0) + 1;
    const threads = p.threads;
    if (threads.length > 0) {
      this.threadsShown = true;
      for (let k = 0; k < threads.length; k++) {
        const ts = threads[k].state ?? '?';
        this.threadsByState[ts] = (this.threadsByState[ts] ?? 0) + 1;
      }
      this.threads += threads.length;
    } else {
      this.threadsByState[s] = (this.threadsByState[s] ?? 0) + 1;
      this.threads += 1;
    }
  }

  counts(): Counts {
    return { processes: this.processes, threads: this.threads, threadsShown: this.threadsShown, byState: this.byState, threadsByState: this.threadsByState };
  }
}

export function countStates(processes: readonly Process[]): Counts {
  const tally = new StateTally();
  for (const p of processes) tally.add(p);
  return tally.counts();
}
