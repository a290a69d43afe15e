// The process tree as the tree view shows it (expanded/collapsed, filtered, identical siblings
// folded), laid out as `ps --forest` lines for a drawing: where each row's text goes and the
// elbows that join a child to its parent. Pure (no DOM): forestSvg.ts turns it into SVG.
import type { Process } from '../../model/snapshot.ts';
import { commandOf } from '../lib/filter.ts';
import type { TreeRow } from '../lib/tree.ts';

export const FOREST = {
  rowHeight: 18,
  /** Advance of one character of the 12 px monospace font (DejaVu Sans Mono, Menlo: 0.6 em). */
  charWidth: 7.3,
  indent: 14,
  maxIndentLevels: 40,
  /** Columns: state letter, PID (right-aligned), user, then the tree. */
  stateX: 12,
  pidRight: 86,
  userX: 96,
  userChars: 10,
  treeX: 186,
  maxCommandChars: 160,
  top: 44,
  pad: 12,
} as const;

export interface ForestLine {
  y: number;
  /** Where the node's dot goes, and where its text starts. */
  dotX: number;
  textX: number;
  state: string | null;
  /** The PID, or `12×` for identical siblings folded into one row. */
  pid: string;
  user: string;
  command: string;
  /** Wait channel of a D task, threads in a worse state, a collapsed subtree's size. */
  tags: string[];
  problem: boolean;
  /** False for ancestors shown only as context for a search match. */
  match: boolean;
}

export interface ForestLayout {
  width: number;
  height: number;
  lines: ForestLine[];
  /** SVG path data of every elbow (parent's dot down, then across to the child). */
  links: string;
  /** Rows not drawn because of maxRows. */
  more: number;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const PROBLEM = new Set(['D', 'Z', 'T', 't', 'X', 'W']);

/** Lays out the first `maxRows` rows; the rest are counted in `more`. */
export function forestLayout(rows: readonly TreeRow[], byPid: ReadonlyMap<number, Process>, maxRows = 1500): ForestLayout {
  const F = FOREST;
  const shown = rows.slice(0, maxRows);
  const lines: ForestLine[] = [];
  const links: string[] = [];
  // The dot of the last row seen at each depth: a row's parent is the last row one level up.
  const lastAt: { x: number; y: number }[] = [];
  let width = F.treeX + 400;
  for (let i = 0; i < shown.length; i++) {
    const r = shown[i];
    const level = Math.min(r.depth, F.maxIndentLevels);
    const y = F.top + i * F.rowHeight;
    const dotX = F.treeX + level * F.indent + 5;
    const textX = dotX + 9;
    const parent = r.depth > 0 ? lastAt[r.depth - 1] : undefined;
    if (parent) links.push(`M${parent.x},${parent.y + 4}V${y}H${dotX - 4}`);
    lastAt[r.depth] = { x: dotX, y };
    lastAt.length = r.depth + 1;

    let line: ForestLine;
    if (r.kind === 'group') {
      line = {
        y, dotX, textX, state: r.state, pid: `${r.pids.length}×`, user: '',
        command: clip(r.command || '?', F.maxCommandChars),
        tags: [`PIDs ${r.pids[0]}…${r.pids[r.pids.length - 1]}`], problem: PROBLEM.has(r.state ?? ''), match: true,
      };
    } else {
      const p = byPid.get(r.pid);
      const tags: string[] = [];
      if (p?.state === 'D' && p.wchan) tags.push(p.wchan);
      const worse = new Map<string, number>();
      for (const t of p?.threads ?? []) if (t.state && t.state !== p?.state && PROBLEM.has(t.state)) worse.set(t.state, (worse.get(t.state) ?? 0) + 1);
      for (const [s, n] of worse) tags.push(`thread ${s}: ${n}`);
      if (r.parent && !r.expanded && p) tags.push(`▸ ${(p.subtreeSize - 1).toLocaleString('en-US')} below`);
      if (r.depth > F.maxIndentLevels) tags.push(`depth ${r.depth}`);
      line = {
        y, dotX, textX, state: p?.state ?? null, pid: String(r.pid), user: clip(p?.user ?? '', F.userChars),
        command: clip((p && commandOf(p)) || '?', F.maxCommandChars), tags,
        problem: PROBLEM.has(p?.state ?? '') || worse.size > 0, match: r.match,
      };
    }
    lines.push(line);
    const chars = line.command.length + line.tags.reduce((n, t) => n + t.length + 3, 0);
    width = Math.max(width, textX + chars * F.charWidth + F.pad);
  }
  const more = rows.length - shown.length;
  const height = F.top + shown.length * F.rowHeight + (more > 0 ? F.rowHeight * 2 : F.pad);
  return { width: Math.ceil(width), height, lines, links: links.join(''), more };
}
