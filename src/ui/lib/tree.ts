// The process tree as rows to draw: ps --forest made interactive. Pure and O(n) per call so a
// 100k-process snapshot re-flattens in a few milliseconds when a node is collapsed or a filter
// changes. Parentage comes from Process.children (built from PPID), never from indentation.
import type { Process, Snapshot } from '../../model/snapshot.ts';
import { commandOf } from './filter.ts';
import { isProblemState } from './states.ts';

export interface ProcRow {
  kind: 'proc';
  pid: number;
  depth: number;
  /** Has children in the snapshot (whether or not they are shown). */
  parent: boolean;
  expanded: boolean;
  /** False for ancestors shown only to place a match in its tree. */
  match: boolean;
}

/** Identical leaf siblings folded into one row: `12× sleep 300`. */
export interface GroupRow {
  kind: 'group';
  key: string;
  parentPid: number;
  depth: number;
  pids: number[];
  state: string | null;
  command: string;
}

export type TreeRow = ProcRow | GroupRow;

export interface TreeOptions {
  /** PIDs whose children are hidden. */
  collapsed: ReadonlySet<number>;
  /** Group keys the user unfolded. */
  openGroups: ReadonlySet<string>;
  /** Only these processes (and their ancestors, for context) are shown; null = all. */
  match: ((p: Process) => boolean) | null;
  /** A PID that must stay visible (the selection): its group unfolds, its ancestors expand. */
  reveal: number | null;
  /** Fold identical leaf siblings; fewer than this many stay as they are. */
  compactAt: number;
}

export const DEFAULT_TREE_OPTIONS: TreeOptions = {
  collapsed: new Set(), openGroups: new Set(), match: null, reveal: null, compactAt: 2,
};

export function groupKeyOf(parentPid: number, p: Process): string {
  return `${parentPid}|${p.state ?? '?'}|${commandOf(p)}`;
}

export function indexOf(snapshot: Snapshot): Map<number, Process> {
  const m = new Map<number, Process>();
  for (const p of snapshot.processes) m.set(p.pid, p);
  return m;
}

/** Ancestors of a PID, nearest first; stops at a missing parent or a cycle. */
export function ancestorsOf(pid: number, byPid: ReadonlyMap<number, Process>): Process[] {
  const out: Process[] = [];
  const seen = new Set<number>([pid]);
  let p = byPid.get(pid);
  while (p && p.ppid !== null && p.ppid !== p.pid) {
    const parent = byPid.get(p.ppid);
    if (!parent || seen.has(parent.pid)) break;
    seen.add(parent.pid);
    out.push(parent);
    p = parent;
  }
  return out;
}

export function flattenTree(snapshot: Snapshot, byPid: ReadonlyMap<number, Process>, opts: TreeOptions): TreeRow[] {
  const { collapsed, openGroups, match, reveal, compactAt } = opts;

  // With a filter, keep each match and its ancestors (for context), marking ancestors once.
  let keep: Set<number> | null = null;
  let matched: Set<number> | null = null;
  if (match) {
    keep = new Set();
    matched = new Set();
    for (const p of snapshot.processes) {
      if (!match(p)) continue;
      matched.add(p.pid);
      let cur: Process | undefined = p;
      while (cur && !keep.has(cur.pid)) {
        keep.add(cur.pid);
        cur = cur.ppid !== null && cur.ppid !== cur.pid ? byPid.get(cur.ppid) : undefined;
      }
    }
  }

  // The selection's ancestors are force-expanded so it is always on screen.
  const forceOpen = new Set<number>();
  if (reveal !== null && byPid.has(reveal)) for (const a of ancestorsOf(reveal, byPid)) forceOpen.add(a.pid);

  const rows: TreeRow[] = [];
  const visited = new Set<number>();
  // Explicit stack (no recursion): real trees can be thousands deep (a fork chain).
  type Frame = { pid: number; depth: number } | { group: GroupRow };
  const stack: Frame[] = [];
  const pushChildren = (parent: Process, depth: number) => {
    const kids: Process[] = [];
    for (const c of parent.children) {
      if (visited.has(c)) continue;
      const child = byPid.get(c);
      if (!child) continue;
      if (keep && !keep.has(c)) continue;
      kids.push(child);
    }
    const frames: Frame[] = [];
    if (compactAt > 0 && kids.length >= compactAt) {
      const groups = new Map<string, Process[]>();
      for (const k of kids) {
        if (k.children.length > 0 || k.pid === reveal) continue;
        const key = groupKeyOf(parent.pid, k);
        const g = groups.get(key);
        if (g) g.push(k); else groups.set(key, [k]);
      }
      const emitted = new Set<string>();
      for (const k of kids) {
        const key = k.children.length > 0 || k.pid === reveal ? null : groupKeyOf(parent.pid, k);
        const g = key ? groups.get(key) : undefined;
        if (key && g && g.length >= compactAt && !openGroups.has(key)) {
          if (emitted.has(key)) continue;
          emitted.add(key);
          frames.push({ group: { kind: 'group', key, parentPid: parent.pid, depth, pids: g.map((x) => x.pid), state: k.state, command: commandOf(k) } });
        } else {
          frames.push({ pid: k.pid, depth });
        }
      }
    } else {
      for (const k of kids) frames.push({ pid: k.pid, depth });
    }
    for (let i = frames.length - 1; i >= 0; i--) stack.push(frames[i]);
  };

  const roots = snapshot.roots.length > 0 ? snapshot.roots : snapshot.processes.filter((p) => p.ppid === null || !byPid.has(p.ppid)).map((p) => p.pid);
  for (let r = roots.length - 1; r >= 0; r--) {
    if (!keep || keep.has(roots[r])) stack.push({ pid: roots[r], depth: 0 });
  }
  const drain = () => {
    while (stack.length > 0) {
      const f = stack.pop()!;
      if ('group' in f) { rows.push(f.group); for (const pid of f.group.pids) visited.add(pid); continue; }
      if (visited.has(f.pid)) continue;
      visited.add(f.pid);
      const p = byPid.get(f.pid);
      if (!p) continue;
      const expanded = !collapsed.has(p.pid) || forceOpen.has(p.pid);
      rows.push({ kind: 'proc', pid: p.pid, depth: f.depth, parent: p.children.length > 0, expanded, match: !matched || matched.has(p.pid) });
      if (expanded) pushChildren(p, f.depth + 1);
    }
  };
  drain();
  // Processes in a parent cycle are reachable from no root; show them at top level, never drop
  // them. A process under a collapsed (visited) ancestor is hidden on purpose and stays hidden.
  if (!keep || keep.size > 0) {
    const underVisited = new Map<number, boolean>();
    const hiddenOnPurpose = (p: Process): boolean => {
      const chain: number[] = [];
      let cur: Process | undefined = p;
      let verdict = false;
      while (cur) {
        const known = underVisited.get(cur.pid);
        if (known !== undefined) { verdict = known; break; }
        if (chain.includes(cur.pid)) break;
        chain.push(cur.pid);
        const parent: Process | undefined = cur.ppid !== null && cur.ppid !== cur.pid ? byPid.get(cur.ppid) : undefined;
        if (parent && visited.has(parent.pid)) { verdict = true; break; }
        cur = parent;
      }
      for (const c of chain) underVisited.set(c, verdict);
      return verdict;
    };
    for (const p of snapshot.processes) {
      if (visited.has(p.pid) || (keep && !keep.has(p.pid)) || hiddenOnPurpose(p)) continue;
      stack.push({ pid: p.pid, depth: 0 });
      drain();
    }
  }
  return rows;
}

/** Every PID with children: the collapsed set for "collapse all". */
export function allParents(snapshot: Snapshot): Set<number> {
  const s = new Set<number>();
  for (const p of snapshot.processes) if (p.children.length > 0) s.add(p.pid);
  return s;
}

/**
 * Orphans adopted by PID 1: a child of init that is not its own session leader, so the shell or
 * service that started it has gone (a daemon calls setsid() and leads its own session).
 * Unknown (false) when the input had no SID column.
 */
export function isAdoptedByInit(p: Process, byPid: ReadonlyMap<number, Process>): boolean {
  if (p.ppid !== 1 || p.sid === undefined || p.sid === p.pid || p.sid === 0) return false;
  if (p.isKernelThread) return false;
  return !byPid.has(p.sid);
}

/** A PPID-0 process other than init and kthreadd: entered from outside its PID namespace. */
export function isForeignRoot(p: Process): boolean {
  return p.ppid === 0 && p.pid !== 1 && p.pid !== 2 && p.pid !== 0;
}

/** What a tree row prints beside the tree art, worked out once per process (rows re-show often). */
export interface LineFacts {
  command: string;
  /** Threads in a problem state the process row does not show (an `Ssl` row with a D thread). */
  hidden: { state: string; count: number }[];
  /** The row deserves the eye: its state or a hidden thread's is D, Z, T, t, X or W. */
  problem: boolean;
  /** Subtree size as printed (`1,234`). */
  subtree: string;
  foreignRoot: boolean;
}

const lineFacts = new WeakMap<Process, LineFacts>();
// One formatter, not toLocaleString() per row: building the Intl formatter is the slow part.
const thousands = new Intl.NumberFormat('en-US');

export function lineFactsOf(p: Process): LineFacts {
  let f = lineFacts.get(p);
  if (f) return f;
  const counts = new Map<string, number>();
  for (const t of p.threads) if (t.state && t.state !== p.state && isProblemState(t.state)) counts.set(t.state, (counts.get(t.state) ?? 0) + 1);
  const hidden = [...counts].map(([state, count]) => ({ state, count }));
  f = {
    command: commandOf(p),
    hidden,
    problem: isProblemState(p.state) || hidden.length > 0,
    subtree: thousands.format(p.subtreeSize),
    foreignRoot: isForeignRoot(p),
  };
  lineFacts.set(p, f);
  return f;
}
