// The xsos-like summary of one snapshot: the facts an SRE reads first. Shared by the text report,
// the Markdown report and the app's overview, so all three say the same thing.
import type { Process, Snapshot } from '../model/index.ts';

export interface DTask { pid: number; tid?: number; comm: string; wchan: string | null; stack: string[]; elapsedSec?: number }
export interface ZombieGroup { ppid: number | null; parent?: Process; zombies: Process[] }

export interface Summary {
  dTasks: DTask[];
  zombieGroups: ZombieGroup[];
  /** Roots with PPID 0 other than PID 1 and 2 (entered from outside a PID namespace). */
  ppidZero: Process[];
  topCpu: Process[];
  topMem: Process[];
}

export function summarize(s: Snapshot, byPid: Map<number, Process>, top = 5): Summary {
  const dTasks: DTask[] = [];
  const zombies = new Map<number | null, Process[]>();
  const ppidZero: Process[] = [];
  for (const p of s.processes) {
    const threadD = p.threads.filter((t) => t.state === 'D');
    if (threadD.length) {
      for (const t of threadD) dTasks.push({ pid: p.pid, tid: t.tid, comm: t.comm ?? p.comm ?? p.args ?? '?', wchan: t.wchan, stack: t.stack ?? (t.tid === p.pid ? p.stack ?? [] : []), elapsedSec: p.elapsedSec });
    } else if (p.state === 'D') {
      dTasks.push({ pid: p.pid, comm: p.comm ?? p.args ?? '?', wchan: p.wchan, stack: p.stack ?? p.kernelTasks[0]?.stack ?? [], elapsedSec: p.elapsedSec });
    }
    if (p.state === 'Z') {
      const list = zombies.get(p.ppid) ?? [];
      list.push(p);
      zombies.set(p.ppid, list);
    }
    if (p.ppid === 0 && p.pid !== 1 && p.pid !== 2) ppidZero.push(p);
  }
  const zombieGroups = [...zombies.entries()]
    .map(([ppid, zs]) => ({ ppid, parent: ppid !== null ? byPid.get(ppid) : undefined, zombies: zs }))
    .sort((a, b) => b.zombies.length - a.zombies.length);
  const withCpu = s.processes.filter((p) => p.pcpu !== undefined && p.pcpu > 0);
  const topCpu = topN(withCpu, (p) => p.pcpu!, top);
  const withMem = s.processes.filter((p) => p.rssKiB !== undefined || p.pmem !== undefined);
  const topMem = topN(withMem, (p) => p.rssKiB ?? p.pmem ?? 0, top);
  return { dTasks, zombieGroups, ppidZero, topCpu, topMem };
}

/** The n largest by key, without sorting the whole list (100k processes). */
function topN<T>(items: readonly T[], key: (x: T) => number, n: number): T[] {
  const best: T[] = [];
  for (const it of items) {
    if (best.length < n) { best.push(it); best.sort((a, b) => key(b) - key(a)); continue; }
    if (key(it) > key(best[n - 1])) { best[n - 1] = it; best.sort((a, b) => key(b) - key(a)); }
  }
  return best;
}
