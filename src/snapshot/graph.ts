// graph: children, roots, depth and subtree totals from PPID (never from forest indentation).
import type { Process } from '../model/index.ts';
import { NO_CHILDREN } from './join.ts';
import type { StateTally } from './counts.ts';

/**
 * Fills children/depth/subtree fields in place and returns the root PIDs (ascending). `processes`
 * come from the join: ascending by PID, every one a leaf at depth 0 (children NO_CHILDREN,
 * subtreeSize 1, subtreeThreads its own). `tally`, when given, counts states in the same pass.
 */
export function linkGraph(processes: Process[], byPid: { get(pid: number): Process | undefined }, tally?: StateTally): number[] {
  const roots: number[] = [];
  const tops: Process[] = [];
  for (const p of processes) {
    if (tally !== undefined) tally.add(p);
    const parent = p.ppid !== null && p.ppid !== p.pid ? byPid.get(p.ppid) : undefined;
    if (parent) {
      if (parent.children === NO_CHILDREN) parent.children = [p.pid];
      else parent.children.push(p.pid);
    } else {
      roots.push(p.pid);
      tops.push(p);
    }
  }
  // processes are sorted by PID, so children lists are already ascending.
  // Depth by an explicit stack (a 100k-deep chain must not overflow the call stack), then
  // subtree totals in reverse visiting order. A PPID cycle (corrupt input) is never entered
  // because every visit starts from a root. Leaves keep the totals the join gave them, so only
  // processes with children are revisited (a flat `ps aux` of a million roots: none).
  let visited = 0;
  const inner: Process[] = [];
  const stack: Process[] = [];
  for (const root of tops) {
    root.depth = 0;
    visited++;
    if (root.children === NO_CHILDREN) continue;
    stack.push(root);
    while (stack.length) {
      const p = stack.pop()!;
      inner.push(p);
      for (let i = p.children.length - 1; i >= 0; i--) {
        const c = byPid.get(p.children[i])!;
        c.depth = p.depth + 1;
        visited++;
        if (c.children !== NO_CHILDREN) stack.push(c);
      }
    }
  }
  for (let i = inner.length - 1; i >= 0; i--) {
    const p = inner[i];
    let size = 1;
    let threads = Math.max(1, p.threads.length);
    for (const c of p.children) {
      const child = byPid.get(c)!;
      size += child.subtreeSize;
      threads += child.subtreeThreads;
    }
    p.subtreeSize = size;
    p.subtreeThreads = threads;
  }
  // Processes caught in a PPID cycle were never visited: make them roots so nothing is lost.
  if (visited < processes.length) {
    const seen = new Set<number>(roots);
    for (const p of inner) for (const c of p.children) seen.add(c);
    for (const p of processes) if (!seen.has(p.pid)) roots.push(p.pid);
    roots.sort((a, b) => a - b);
  }
  return roots;
}

/** PIDs from the process up to its root, the process first. */
/** Anything that finds a process by PID: a Map, the join's PID table, a binary search. */
export interface ProcessLookup { get(pid: number): Process | undefined }

export function ancestry(pid: number, byPid: ProcessLookup): number[] {
  const chain: number[] = [];
  const seen = new Set<number>();
  let p = byPid.get(pid);
  while (p && !seen.has(p.pid)) {
    chain.push(p.pid);
    seen.add(p.pid);
    p = p.ppid !== null ? byPid.get(p.ppid) : undefined;
  }
  return chain;
}

/** Every PID in the subtree of `pid`, itself first, depth-first. */
export function descendants(pid: number, byPid: ProcessLookup): number[] {
  const out: number[] = [];
  const stack = [pid];
  const seen = new Set<number>();
  while (stack.length) {
    const cur = stack.pop()!;
    if (seen.has(cur)) continue;
    seen.add(cur);
    const p = byPid.get(cur);
    if (!p) continue;
    out.push(cur);
    for (let i = p.children.length - 1; i >= 0; i--) stack.push(p.children[i]);
  }
  return out;
}
