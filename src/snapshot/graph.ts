// graph: children, roots, depth and subtree totals from PPID (never from forest indentation).
import type { Process } from '../model/index.ts';
import { NO_CHILDREN } from './join.ts';

/** Fills children/depth/subtree fields in place and returns the root PIDs (ascending). */
export function linkGraph(processes: Process[], byPid: Map<number, Process>): number[] {
  const roots: number[] = [];
  for (const p of processes) {
    const parent = p.ppid !== null && p.ppid !== p.pid ? byPid.get(p.ppid) : undefined;
    if (parent) {
      if (parent.children === NO_CHILDREN) parent.children = [p.pid];
      else parent.children.push(p.pid);
    }
    else roots.push(p.pid);
  }
  // processes are sorted by PID, so children lists are already ascending.

  // Depth by an explicit stack (a 100k-deep chain must not overflow the call stack), then
  // subtree totals in reverse visiting order. A PPID cycle (corrupt input) is never entered
  // because every visit starts from a root.
  const order: Process[] = [];
  const stack: Process[] = [];
  for (const r of roots) {
    const root = byPid.get(r)!;
    root.depth = 0;
    stack.push(root);
    while (stack.length) {
      const p = stack.pop()!;
      order.push(p);
      for (let i = p.children.length - 1; i >= 0; i--) {
        const c = byPid.get(p.children[i])!;
        c.depth = p.depth + 1;
        stack.push(c);
      }
    }
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const p = order[i];
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
  if (order.length < processes.length) {
    const seen = new Set(order.map((p) => p.pid));
    for (const p of processes) if (!seen.has(p.pid)) roots.push(p.pid);
    roots.sort((a, b) => a - b);
  }
  return roots;
}

/** PIDs from the process up to its root, the process first. */
export function ancestry(pid: number, byPid: Map<number, Process>): number[] {
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
export function descendants(pid: number, byPid: Map<number, Process>): number[] {
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
