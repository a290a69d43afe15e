// psmisc `pstree`. It has no PPID column: parentage comes from the drawing, which is all there is.
//
//   pstree -p (ASCII)                         pstree -U -p (box drawing)
//   scene.sh(1)-+-a) (b c) R 1 2(3)            bash(78)─┬─bash(79)───sleep(82)
//               |-bash(23)---sleep(25)                  ├─bash(80)───sh(83)───sleep(84)
//               |-fix(2)-+-{fix}(6)                     └─sleep(81)
//               |        `-{fix}(8)
//
//   pstree -ap: one node per line, `comm,pid args`, threads `{fix},6`, zombies `(fix,7)`,
//   control bytes escaped: `perl,15 -e sleep 100007 -- tab\011here new\012line`
//     scene.sh,1 /tmp/psfix/scene.sh /tmp/psfix/out
//       |-fix,2 threads
//       |   |-{fix},6
//
// `---`/`───` joins an only child, `-+-`/`─┬─` the first of several, `|-`/`├─` and `` `- ``/`└─`
// the others, `|`/`│` carry an ancestor's line down. Whatever the style, a node's children start
// to the right of where it starts, and its siblings at the same column: a stack of start columns
// gives each node its parent and depth. `-p` turns off compaction; without it identical siblings
// merge (`2*[{fix}]`, `4*[sleep]`) and no node has a PID, so nothing can become a row.
// `name(pid,uid)` (-u), `name(pid,pgid)` (-g, `(1,)` when the group is outside the namespace).
// Without -l a line longer than the output width (132 in a pipe) ends in `+`: `exe(2+`.
import type { Row } from '../../model/index.ts';
import { isBoundary } from '../boundaries.ts';
import type { CaptureDraft, FormatParser, ParseContext, ParseResult } from '../types.ts';

const JOINERS = ['---', '-+-', '───', '─┬─'] as const;
// `name(pid)`, `{thread}(tid)`, `name(pid,extra)`; the name may hold `(`, `)` and spaces.
const NODE_P = /^(.*)\((\d+)(?:,[^()]*)?\)$/;
// -a forms: `(zombie,pid)`, `{thread},tid`, `comm,pid args` (comm may hold spaces: `a) (b c) R 1 2,3 weird`).
const NODE_A_ZOMBIE = /^\((.+),(\d+)(?:,[^()\s]*)?\)$/s;
const NODE_A_THREAD = /^\{(.*)\},(\d+)(?:,\S*)?$/s;
const NODE_A = /^(.*?),(\d+)(?:,[^\s,]*)*(?: (.*))?$/s;

export const pstree: FormatParser = {
  format: 'pstree',

  sniff(lines, start, hint) {
    const line = lines[start];
    if (line.length === 0 || line.length > 5000) return 0;
    const next = start + 1 < lines.length ? lines[start + 1] : '';
    const fromPstree = hint.command !== undefined && /\bpstree\b/.test(hint.command);
    const c0 = line.charCodeAt(0);
    if (c0 === 32 || c0 === 9) {
      // A paste that starts inside a tree.
      return connectorAt(line) >= 0 ? (fromPstree ? 0.8 : 0.4) : 0;
    }
    if (hasPidJoiner(line)) return 0.95;
    const nextIsChild = connectorAt(next) >= 0;
    if (NODE_P.test(line.trimEnd()) && (nextIsChild || fromPstree)) return 0.9;
    if (nextIsChild && NODE_A.test(line.trimEnd()) && /,\d+(?: |$)/.test(line)) return 0.9;
    // Without -p: `systemd-+-agetty` / `systemd─┬─agetty`, or -a without PIDs.
    if (nextIsChild && (line.includes('-+-') || line.includes('─┬─') || line.includes('---') || line.includes('───'))) return 0.8;
    if (nextIsChild && fromPstree) return 0.8;
    if (nextIsChild && connectorAt(next) === 2) return 0.5;
    return 0;
  },

  parse(lines, start, ctx) {
    return parsePstree(lines, start, ctx);
  },
};

/** `)` followed by a joiner: `scene.sh(1)-+-…`, `bash(78)─┬─…`. */
function hasPidJoiner(line: string): boolean {
  for (const j of JOINERS) {
    let k = line.indexOf(j);
    while (k > 0) {
      if (line.charCodeAt(k - 1) === 41 /* ) */ && /\(\d+(?:,[^()]*)?\)$/.test(line.slice(0, k))) return true;
      k = line.indexOf(j, k + 1);
    }
  }
  return false;
}

/**
 * Column of the connector (`|-`, `` `- ``, `├─`, `└─`) of a continuation line, after spaces and
 * ancestors' `|`/`│`; -1 when the line is not one.
 */
function connectorAt(line: string): number {
  const len = line.length;
  let k = 0;
  if (len === 0 || (line.charCodeAt(0) !== 32 && line.charCodeAt(0) !== 9)) return -1;
  while (k < len) {
    const ch = line[k];
    const nx = k + 1 < len ? line[k + 1] : '';
    if (ch === ' ' || ch === '\t') { k++; continue; }
    if ((ch === '|' || ch === '`') && nx === '-') return k;
    if ((ch === '├' || ch === '└') && nx === '─') return k;
    if (ch === '|' || ch === '│') { k++; continue; }
    return -1;
  }
  return -1;
}

interface Node { col: number; pid?: number; thread: boolean }

function parsePstree(lines: readonly string[], start: number, ctx: ParseContext): ParseResult {
  const n = lines.length;
  const first = lines[start];
  // -a puts every node on its own line, children indented by 2 + 4 per level (`  |-fix,2 threads`).
  // Compact output puts the first child on the root's line, so the next line's connector sits
  // under the root's `-+-` (column = length of the root's name + 1), not at column 2.
  const aMode = start + 1 < n && connectorAt(lines[start + 1]) === 2 && !/^.(?:-\+-|─┬─)/.test(first);
  const rows: Row[] = [];
  const stack: Node[] = [];
  let last = start;
  let nodes = 0;
  let withPid = 0;
  let truncatedAny = false;
  let threads = false;
  let zombies = false;
  const noPidLines: number[] = [];
  const unreadable: { line: number; text: string }[] = [];

  const add = (text: string, col: number, lineIndex: number, cut: boolean) => {
    nodes++;
    while (stack.length > 0 && stack[stack.length - 1].col >= col) stack.pop();
    const parent = stack.length > 0 ? stack[stack.length - 1] : undefined;
    const depth = stack.length;
    const node: Node = { col, thread: false };
    stack.push(node);
    const parsed = aMode ? parseNodeA(text) : parseNodeP(text);
    if (!parsed) {
      if (/\(\d+(?:,[^()]*)?\)|,\d+/.test(text) || cut) unreadable.push({ line: lineIndex, text });
      else noPidLines.push(lineIndex);
      return;
    }
    withPid++;
    node.pid = parsed.pid;
    node.thread = parsed.thread;
    const row: Row = { line: lineIndex + 1, kind: parsed.thread ? 'thread' : 'process', pid: parsed.pid, depth };
    if (parsed.comm !== '') row.comm = parsed.comm;
    if (parsed.args !== undefined) row.args = parsed.args;
    if (parsed.zombie) { row.state = 'Z'; zombies = true; }
    if (cut) { row.truncated = true; truncatedAny = true; }
    if (parsed.thread) {
      threads = true;
      // `{fix}(6)` is a thread of the process drawn above it.
      if (parent?.pid === undefined || parent.thread) {
        ctx.warn(lineIndex, `pstree thread ${parsed.pid} has no process above it: expected a {thread}(tid) under a name(pid) node`);
        return;
      }
      row.tid = parsed.pid;
      row.pid = parent.pid;
    } else if (parent?.pid !== undefined && !parent.thread) {
      row.ppid = parent.pid;
    }
    rows.push(row);
  };

  let i = start;
  for (; i < n; i++) {
    const line = lines[i];
    if (line.trim() === '') break;
    if (i !== start && isBoundary(line)) break;
    const conn = connectorAt(line);
    if (conn < 0) {
      // A new tree (pstree -p USER prints several) must start at column 0 and look like one.
      if (i !== start && !(aMode ? NODE_A.test(line.trimEnd()) && /,\d+(?: |$)/.test(line) : hasPidJoiner(line) || NODE_P.test(line.trimEnd()))) break;
      if (line.charCodeAt(0) === 32 || line.charCodeAt(0) === 9) break;
    }
    last = i;
    let text = line.trimEnd();
    // Cut at the output width: `…---exe(23)---exe(2+`.
    const cut = text.endsWith('+') && !/\(\d+(?:,[^()]*)?\)$/.test(text);
    if (cut) text = text.slice(0, -1).replace(/[-─┬+]+$/, '');
    let pos = conn < 0 ? 0 : conn + 2;
    if (aMode) {
      const body = decodeEscapes(text.slice(pos));
      add(body, pos, i, cut);
      continue;
    }
    // Walk the chain of nodes on this line.
    const cache = [-2, -2, -2, -2];
    while (pos < text.length) {
      const { end, next } = nodeEnd(text, pos, cache);
      add(text.slice(pos, end), pos, i, cut && next < 0);
      if (next < 0) break;
      pos = next;
    }
  }

  for (const u of unreadable) {
    ctx.warn(u.line, `pstree node not read: "${u.text.slice(0, 80)}" — expected name(pid) or {thread}(tid)${aMode ? ' (or comm,pid args)' : ''}; a line cut at the output width ends in "+" (use pstree -l)`);
  }

  const capture: CaptureDraft = {
    format: 'pstree',
    variant: withPid === 0 ? (aMode ? '-a' : 'no-pids') : aMode ? '-ap' : '-p',
    firstLine: start + 1,
    lastLine: last + 1,
    fields: [],
    rows,
  };
  if (withPid === 0) {
    // `pstree` / `pstree -a` without -p: `2*[fix---2*[{fix}]]`: nothing to join by.
    ctx.warn(start, `pstree without -p has no PIDs: its ${nodes} entries cannot be joined to other inputs or checked; run pstree -p (or pstree -ap). The tree is kept as text in the capture notes.`);
    capture.meta = { notes: { pstree: lines.slice(start, last + 1).join('\n').slice(0, 200_000) } };
  } else {
    if (noPidLines.length > 0) {
      ctx.warn(noPidLines[0], `pstree: ${noPidLines.length} node(s) without a PID (merged N*[…] siblings?) were skipped: expected name(pid)`);
    }
    const fields = ['pid', 'ppid', 'comm', 'depth'];
    if (aMode) fields.push('args');
    if (threads) fields.push('tid');
    if (zombies) fields.push('state');
    if (truncatedAny) fields.push('truncated');
    capture.fields = fields;
  }
  return { captures: [capture], end: last + 1 };
}

const PID_END = /\(\d+(?:,[^()]*)?\)$/;
const PID_ANY = /\(\d+(?:,[^()]*)?\)/;

/**
 * Where the node starting at `pos` ends, and where the next node on the line starts (-1: none).
 * With PIDs a joiner closes a node only right after its `(pid)`: names may contain `-`
 * (`systemd-journal(345)---…`). Without PIDs any joiner ends the node.
 */
function nodeEnd(text: string, pos: number, cache: number[]): { end: number; next: number } {
  let best = -1;
  for (let j = 0; j < JOINERS.length; j++) {
    // cache[j]: where joiner j next occurs on this line (-1: nowhere), so a long chain
    // (`exe(15)---exe(16)---…`) is scanned once, not once per node.
    let k = cache[j];
    if (k !== -1 && k < pos + 1) k = cache[j] = text.indexOf(JOINERS[j], pos + 1);
    while (k > 0) {
      const before = text.slice(pos, k);
      if (PID_END.test(before) || !PID_ANY.test(before)) break;
      k = cache[j] = text.indexOf(JOINERS[j], k + 1);
    }
    if (k > pos && (best < 0 || k < best)) best = k;
  }
  if (best < 0) return { end: text.length, next: -1 };
  return { end: best, next: best + 3 };
}

interface NodeInfo { pid: number; comm: string; args?: string; thread: boolean; zombie: boolean }

function parseNodeP(text: string): NodeInfo | undefined {
  const m = NODE_P.exec(text);
  if (!m) return undefined;
  const name = m[1];
  const pid = Number(m[2]);
  if (name.length >= 2 && name.startsWith('{') && name.endsWith('}')) return { pid, comm: name.slice(1, -1), thread: true, zombie: false };
  return { pid, comm: name, thread: false, zombie: false };
}

function parseNodeA(text: string): NodeInfo | undefined {
  let m = NODE_A_ZOMBIE.exec(text);
  if (m) return { pid: Number(m[2]), comm: m[1], thread: false, zombie: true };
  m = NODE_A_THREAD.exec(text);
  if (m) return { pid: Number(m[2]), comm: m[1], thread: true, zombie: false };
  m = NODE_A.exec(text);
  if (!m) return undefined;
  const info: NodeInfo = { pid: Number(m[2]), comm: m[1], thread: false, zombie: false };
  // -a prints argv after argv0: the command line is argv0 (≈ comm) + these.
  if (m[3] !== undefined && m[3] !== '') info.args = `${m[1]} ${m[3]}`;
  else info.args = m[1];
  return info;
}

/** pstree -a escapes control bytes as `\ooo` (`tab\011here new\012line`): give them back. */
function decodeEscapes(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\([0-3][0-7]{2})/g, (all, o: string) => {
    const c = parseInt(o, 8);
    return c < 32 || c === 127 ? String.fromCharCode(c) : all;
  });
}
