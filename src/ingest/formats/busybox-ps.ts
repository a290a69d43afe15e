// busybox `ps` (procps/ps.c). It ignores `aux`/`-ef`; what differs is `-o`, `-T` and the build:
//
//   PID   USER     COMMAND                          DESKTOP default (Debian busybox 1.35)
//   PID   USER     TIME  COMMAND                    DESKTOP + FEATURE_PS_TIME (Alpine images)
//   PID   PPID  USER     STAT VSZ  RSS  COMMAND     -o pid,ppid,user,stat,vsz,rss,args
//     PID USER       VSZ STAT COMMAND               non-DESKTOP builds (OpenWrt, small images)
//
// `-o` headers are left-aligned and padded to fixed widths (`%-*s`), where procps right-aligns
// numeric headers (`    PID USER`): that is what tells the two apart here. Values:
//   `{a) (b c) R 1 2} ./fix weird`  comm differs from argv0 → `{comm} args`
//   `[fix]`                         no cmdline: a zombie (no `<defunct>`) or a kernel thread
//   `18m`, `20g`                    VSZ/RSS scaled to 4 characters (smart_ulltoa4)
//   `136,2`                         TT as major,minor; `?` without a tty
//   ` 0:00`, ` 2h05`, ` 3d04`       TIME/ELAPSED (format_time)
//   `averyver`                      USER cut at 8 without a mark; a uid without a name: `12345`
//   `SW`, `S<`, `Z`                 STAT: the state is the FIRST letter; busybox appends W when
//                                   VSZ is 0 (kernel threads), which is not W paging
// `-T` lists each thread after its process with its TID in the PID column:
//   `    6 root     {worker-1} ./fix threads`
import { STATE_LETTERS, type Row, type StateLetter } from '../../model/index.ts';
import { isBoundary } from '../boundaries.ts';
import type { CaptureDraft, FormatParser, Hint, ParseContext, ParseResult } from '../types.ts';
import { tokenize } from './tokens.ts';

const LETTERS = new Set<string>(STATE_LETTERS);

/** Column widths of `ps -o` (out_spec[] in procps/ps.c, busybox 1.35); COMMAND is comm (16) unless last. */
const WIDTH: Record<string, number> = {
  PID: 5, PPID: 5, PGID: 5, SID: 5, USER: 8, GROUP: 8, RUSER: 8, RGROUP: 8, NI: 5, TT: 6,
  VSZ: 4, RSS: 4, STAT: 4, TIME: 5, ELAPSED: 7, LABEL: 35, COMMAND: 16,
};
const NON_DESKTOP = '  PID USER       VSZ STAT COMMAND';
const NON_DESKTOP_SELINUX = '  PID CONTEXT                          STAT COMMAND';
const DEFAULTS = new Set(['PID   USER     COMMAND', 'PID   USER     TIME  COMMAND']);

type Col = 'pid' | 'ppid' | 'pgid' | 'sid' | 'user' | 'group' | 'ruser' | 'rgroup' | 'nice' | 'tty'
  | 'vsz' | 'rss' | 'stat' | 'time' | 'etime' | 'label' | 'comm' | 'args' | 'context';

interface Layout {
  cols: Col[];
  /** Header text per column, as printed. */
  names: string[];
  /** Where each header starts in the header line (for a comm column that is not last). */
  starts: number[];
  variant: string;
  confidence: number;
  /** The last column is COMMAND and may be comm or args: decided from the values. */
  lastCommandUnsure: boolean;
}

const COL_OF: Record<string, Col> = {
  PID: 'pid', PPID: 'ppid', PGID: 'pgid', SID: 'sid', USER: 'user', GROUP: 'group', RUSER: 'ruser',
  RGROUP: 'rgroup', NI: 'nice', TT: 'tty', VSZ: 'vsz', RSS: 'rss', STAT: 'stat', TIME: 'time',
  ELAPSED: 'etime', LABEL: 'label',
};

const FIELDS: Record<Col, readonly string[]> = {
  pid: ['pid'], ppid: ['ppid'], pgid: ['pgid'], sid: ['sid'], user: ['user'], group: ['group'],
  ruser: ['extra'], rgroup: ['extra'], nice: ['nice'], tty: ['tty'], vsz: ['vszKiB'], rss: ['rssKiB'],
  stat: ['stat', 'state'], time: ['cpuTimeSec'], etime: ['elapsedSec'], label: ['extra'],
  comm: ['comm'], args: ['args', 'comm'], context: ['extra'],
};

export const busyboxPs: FormatParser = {
  format: 'busybox-ps',

  sniff(lines, start, hint) {
    const layout = readHeader(lines[start], hint);
    return layout ? layout.confidence : 0;
  },

  parse(lines, start, ctx) {
    const layout = readHeader(lines[start], ctx.hint);
    if (!layout) return { captures: [], end: start + 1 };
    return parseRows(lines, start, layout, ctx);
  },
};


function readHeader(line: string, hint: Hint): Layout | undefined {
  if (line.length > 400 || !line.includes('PID')) return undefined;
  const trimmed = line.trimEnd();
  // Only an explicit `busybox ps`: a bare `ps` may be procps (`ps -o user,pid,args` → `USER         PID COMMAND`).
  const fromBusybox = hint.command !== undefined && /\bbusybox\b/.test(hint.command);
  if (trimmed === NON_DESKTOP) {
    return { cols: ['pid', 'user', 'vsz', 'stat', 'args'], names: ['PID', 'USER', 'VSZ', 'STAT', 'COMMAND'], starts: [], variant: 'nondesktop', confidence: 0.95, lastCommandUnsure: false };
  }
  if (trimmed === NON_DESKTOP_SELINUX) {
    return { cols: ['pid', 'context', 'stat', 'args'], names: ['PID', 'CONTEXT', 'STAT', 'COMMAND'], starts: [], variant: 'nondesktop', confidence: 0.95, lastCommandUnsure: false };
  }
  // `-o` headers start at column 0: procps pads PID on the left (`    PID`).
  const c0 = line.charCodeAt(0);
  if (c0 === 32 || c0 === 9) return undefined;
  const starts: number[] = [];
  const ends: number[] = [];
  const n = tokenize(line, starts, ends);
  if (n < 2) return undefined;
  const names: string[] = [];
  const cols: Col[] = [];
  let aligned = true;
  for (let k = 0; k < n; k++) {
    const name = line.slice(starts[k], ends[k]);
    const w = WIDTH[name];
    if (w === undefined) return undefined;
    names.push(name);
    if (name === 'COMMAND') cols.push(k === n - 1 ? 'args' : 'comm');
    else cols.push(COL_OF[name]);
    // Each header is padded to its width plus one separating space.
    if (k < n - 1 && starts[k + 1] !== starts[k] + w + 1) aligned = false;
  }
  if (!cols.includes('pid')) return undefined;
  const isDefault = DEFAULTS.has(trimmed);
  // A lone last COMMAND after the first columns is args in the default formats; under -o it may
  // be comm (`-o pid,comm`), told apart by the values.
  const lastCommandUnsure = !isDefault && cols[n - 1] === 'args' && !cols.slice(0, -1).includes('comm');
  let confidence = aligned ? 0.9 : 0.5;
  if (isDefault) confidence = 0.95;
  if (fromBusybox && confidence < 0.9) confidence = 0.9;
  return { cols, names, starts: starts.slice(0, n), variant: isDefault ? 'default' : '-o', confidence, lastCommandUnsure };
}

const BRACED = 1;
const BRACKETED = 2;

function parseRows(lines: readonly string[], start: number, layout: Layout, ctx: ParseContext): ParseResult {
  const { cols } = layout;
  const ncols = cols.length;
  const argsCol = cols[ncols - 1] === 'args' ? ncols - 1 : -1;
  const commCol = cols.indexOf('comm');
  const pidCol = cols.indexOf('pid');
  const starts: number[] = [];
  const ends: number[] = [];
  const cs: number[] = [];
  const ce: number[] = [];
  const rows: Row[] = [];
  // Per row: whether its command line had a `{comm} ` prefix or was `[comm]` alone.
  const flags: number[] = [];
  const n = lines.length;
  let i = start + 1;
  let last = start;
  let prevPid = -1;
  let outOfOrder = false;

  for (; i < n; i++) {
    const line = lines[i];
    const count = tokenize(line, starts, ends);
    if (count === 0 || maybeBoundary(line)) break;
    // A row has its PID where the header has it (before any free-text column).
    const pidTok = commCol >= 0 && pidCol > commCol ? pidCol + Math.max(0, count - ncols) : pidCol;
    if (pidTok >= count || intAt(line, starts[pidTok], ends[pidTok]) < 0) {
      if (intAt(line, starts[0], ends[0]) < 0) break;
    }
    if (!split(line, count, starts, ends, layout, commCol, cs, ce)) {
      ctx.warn(i, `busybox ps row not read: expected ${ncols} columns (${layout.names.join(' ')}), found ${count}`);
      last = i;
      continue;
    }
    const pid = intAt(line, cs[pidCol], ce[pidCol]);
    if (pid < 0) {
      ctx.warn(i, `busybox ps row not read: PID "${line.slice(cs[pidCol], ce[pidCol])}" is not a number`);
      last = i;
      continue;
    }
    const row: Row = { line: i + 1, kind: 'process', pid };
    let f = 0;
    for (let c = 0; c < ncols; c++) {
      const col = cols[c];
      if (col === 'pid') continue;
      const s0 = cs[c];
      const e0 = ce[c];
      if (e0 - s0 === 1 && line.charCodeAt(s0) === 45 /* - */) continue; // missing value
      if (col === 'args') {
        f = setArgs(row, line, s0, e0);
        // Non-DESKTOP ps cuts the command silently at the terminal width (80 in a pipe, lines of 78):
        // `    1 root      4360 S    {scene4.sh} /bin/bash /tmp/psfix/scene4.sh /tmp/psfi`
        if (layout.variant === 'nondesktop' && line.length >= 78) row.truncated = true; // 78 = 80 - NUL - 1
        continue;
      }
      setField(row, col, line, s0, e0);
    }
    if (pid < prevPid) outOfOrder = true;
    prevPid = pid;
    rows.push(row);
    flags.push(f);
    last = i;
  }

  const lastIsComm = layout.lastCommandUnsure && argsCol >= 0 && decideLastCommand(rows, flags);
  const threads = markThreads(rows, flags, outOfOrder || hintSaysThreads(ctx.hint));

  const fields = new Set<string>();
  for (let c = 0; c < ncols; c++) {
    for (const fl of c === argsCol && lastIsComm ? ['comm'] : FIELDS[cols[c]]) fields.add(fl);
  }
  if (rows.some((r) => r.uid !== undefined)) fields.add('uid');
  if (rows.some((r) => r.truncated)) fields.add('truncated');
  if (threads) fields.add('tid');
  const capture: CaptureDraft = {
    format: 'busybox-ps',
    variant: threads ? '-T' : layout.variant,
    firstLine: start + 1,
    lastLine: last + 1,
    fields: [...fields],
    header: layout.names,
    rows,
  };
  return { captures: [capture], end: last + 1 };
}

/** Unsigned integer in line[s, e), or -1. */
export function intAt(line: string, s: number, e: number): number {
  if (s === undefined || e <= s || e - s > 15) return -1;
  let v = 0;
  for (let k = s; k < e; k++) {
    const c = line.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * isBoundary (a prompt or a bundle marker) only for lines that can be one: the prompt pattern is
 * the costly part on a million rows, and rows rarely hold a prompt character.
 */
export function maybeBoundary(line: string): boolean {
  const c = line.charCodeAt(0);
  if (c !== 61 && c !== 112 && line.indexOf('#') < 0 && line.indexOf('$') < 0 && line.indexOf('%') < 0 &&
      line.indexOf('>') < 0 && line.indexOf('\u276f') < 0 && line.indexOf('\u00bb') < 0) return false;
  return isBoundary(line);
}

/**
 * The offsets of each column's value in one row (into cs/ce). The last column (args) takes the
 * rest of the line as printed; a comm column before it may hold spaces (`a) (b c) R 1 2`): it
 * runs up to where the next header starts, shifted by as much as the row is shifted against the
 * header.
 */
function split(line: string, count: number, starts: number[], ends: number[], layout: Layout, commCol: number, cs: number[], ce: number[]): boolean {
  const ncols = layout.cols.length;
  const lastFree = layout.cols[ncols - 1] === 'args' || layout.cols[ncols - 1] === 'comm';
  if (count < ncols || (!lastFree && commCol < 0 && count > ncols)) return false;
  let t = 0;
  for (let c = 0; c < ncols; c++) {
    if (c === ncols - 1 && lastFree) {
      cs[c] = starts[t]; ce[c] = ends[count - 1];
      t = count;
      break;
    }
    if (c === commCol && count > ncols && layout.starts.length > c + 1) {
      const shift = starts[t] - layout.starts[c];
      const limit = layout.starts[c + 1] + shift;
      let e = t;
      // Keep at least one token for each column still to come.
      while (e + 1 < count - (ncols - c - 1) && starts[e + 1] < limit) e++;
      cs[c] = starts[t]; ce[c] = ends[e];
      t = e + 1;
      continue;
    }
    cs[c] = starts[t]; ce[c] = ends[t];
    t++;
  }
  return t === count;
}

/** Sets args (and comm from a `{comm} ` prefix or `[comm]`); returns the BRACED/BRACKETED flag. */
function setArgs(row: Row, line: string, s: number, e: number): number {
  const c0 = line.charCodeAt(s);
  if (c0 === 123 /* { */) {
    const close = line.indexOf('} ', s);
    if (close > s + 1 && close < e) {
      row.comm = line.slice(s + 1, close);
      row.args = line.slice(close + 2, e);
      return BRACED;
    }
  } else if (c0 === 91 /* [ */ && line.charCodeAt(e - 1) === 93 /* ] */ && e - s > 2) {
    row.comm = line.slice(s + 1, e - 1);
    row.args = line.slice(s, e);
    return BRACKETED;
  }
  row.args = line.slice(s, e);
  return 0;
}

/** `{comm} args` → comm + args; `[comm]` → comm (zombie or kernel thread, no cmdline). */
export function splitArgs(v: string): { args: string; comm?: string; braced: boolean; bracketed: boolean } {
  if (v.charCodeAt(0) === 123 /* { */) {
    const close = v.indexOf('} ');
    if (close > 1) return { comm: v.slice(1, close), args: v.slice(close + 2), braced: true, bracketed: false };
  }
  if (v.charCodeAt(0) === 91 /* [ */ && v.endsWith(']') && v.length > 2) {
    return { comm: v.slice(1, -1), args: v, braced: false, bracketed: true };
  }
  return { args: v, braced: false, bracketed: false };
}

function setField(row: Row, col: Col, line: string, s: number, e: number): void {
  let x: number;
  switch (col) {
    case 'ppid': if ((x = intAt(line, s, e)) >= 0) row.ppid = x; return;
    case 'pgid': if ((x = intAt(line, s, e)) >= 0) row.pgid = x; return;
    case 'sid': if ((x = intAt(line, s, e)) >= 0) row.sid = x; return;
    case 'user':
      row.user = line.slice(s, e);
      if ((x = intAt(line, s, e)) >= 0) row.uid = x; // no passwd entry: busybox prints the uid
      return;
    case 'group': row.group = line.slice(s, e); return;
    case 'ruser': (row.extra ??= {}).RUSER = line.slice(s, e); return;
    case 'rgroup': (row.extra ??= {}).RGROUP = line.slice(s, e); return;
    case 'label': (row.extra ??= {}).LABEL = line.slice(s, e); return;
    case 'context': (row.extra ??= {}).CONTEXT = line.slice(s, e); return;
    case 'nice': {
      const neg = line.charCodeAt(s) === 45;
      if ((x = intAt(line, neg ? s + 1 : s, e)) >= 0) row.nice = neg ? -x : x;
      return;
    }
    case 'tty': row.tty = line.slice(s, e); return;
    case 'vsz': case 'rss': {
      x = intAt(line, s, e);
      const v = x >= 0 ? x : busyboxKiB(line.slice(s, e));
      if (v !== undefined) { if (col === 'vsz') row.vszKiB = v; else row.rssKiB = v; }
      return;
    }
    case 'stat': {
      const v = line.slice(s, e);
      row.stat = v;
      const c = v.charAt(0);
      row.state = LETTERS.has(c) ? (c as StateLetter) : null;
      return;
    }
    case 'time': { const v = busyboxTimeSec(line.slice(s, e)); if (v !== undefined) row.cpuTimeSec = v; return; }
    case 'etime': { const v = busyboxTimeSec(line.slice(s, e)); if (v !== undefined) row.elapsedSec = v; return; }
    case 'comm': row.comm = line.slice(s, e); return;
    default: return;
  }
}

const SCALE: Record<string, number> = { k: 1, m: 1024, g: 1024 ** 2, t: 1024 ** 3, p: 1024 ** 4, e: 1024 ** 5, z: 1024 ** 6, y: 1024 ** 7 };

/** busybox sizes in KiB, scaled by smart_ulltoa4/5 (" mgtpezy"): `2344`, `18m`, `20.0g`, `1.2g`. */
export function busyboxKiB(v: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([kmgtpezyKMGTPEZY]?)$/.exec(v);
  if (!m) return undefined;
  const mult = m[2] === '' ? 1 : SCALE[m[2].toLowerCase()];
  const x = Number(m[1]) * mult;
  // `0.0g` lost its precision; a plain `0` (zombie, kernel thread) is a real zero.
  if (x === 0 && m[2] !== '') return undefined;
  return Math.round(x);
}

/** busybox TIME/ELAPSED (format_time): ` 0:00` (min:sec), ` 2h05` (h,min), ` 3d04` (d,h), `123d`. */
export function busyboxTimeSec(v: string): number | undefined {
  let m = /^(\d+):(\d{2})$/.exec(v);
  if (m) return Number(m[1]) * 60 + Number(m[2]);
  if ((m = /^(\d+)h(\d{2})$/.exec(v))) return Number(m[1]) * 3600 + Number(m[2]) * 60;
  if ((m = /^(\d+)d(\d{2})$/.exec(v))) return Number(m[1]) * 86400 + Number(m[2]) * 3600;
  if ((m = /^(\d+)d$/.exec(v))) return Number(m[1]) * 86400;
  return undefined;
}

function hintSaysThreads(hint: Hint): boolean {
  return hint.command !== undefined && /\bps\b/.test(hint.command) && /(?:^|\s)-\w*T/.test(hint.command);
}

/**
 * A last COMMAND column under `-o` is comm (`-o pid,comm`) or args (`-o pid,args`): args show
 * `[fix]` for zombies and kernel threads, `{comm} …` prefixes, paths and arguments; a comm is
 * one short name (≤ 15 bytes for user tasks).
 */
function decideLastCommand(rows: Row[], flags: number[]): boolean {
  for (let k = 0; k < rows.length; k++) {
    const a = rows[k].args ?? '';
    if (flags[k] !== 0 || a.startsWith('/') || a.startsWith('./') || a.includes(' -') || a.length > 16) return false;
  }
  for (const r of rows) {
    if (r.args !== undefined) { r.comm = r.args; delete r.args; }
  }
  return true;
}

/**
 * `ps -T` prints each thread right after its process, its TID in the PID column, with the same
 * user, PPID and command line (prefixed `{name}` when the thread is named differently):
 *     2 root     ./fix threads
 *     6 root     {worker-1} ./fix threads
 * Without `-T` every row is a process listed in ascending PID order (readdir of /proc), so PIDs
 * going backwards (8 then 3) show `-T`. Then a row that repeats the row before it is a thread of
 * that process. Without that evidence only a `{name}` row that repeats its predecessor's command
 * line under another name is taken as a thread. Two identical processes side by side under -T
 * (`sleep 100`, `sleep 100`) look exactly like a process and its thread: they become one.
 */
function markThreads(rows: Row[], flags: number[], tMode: boolean): boolean {
  let leader: Row | undefined;
  let any = false;
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k];
    if (flags[k] === BRACKETED || r.args === undefined) { leader = undefined; continue; }
    if (leader && r.args === leader.args && r.user === leader.user && r.ppid === leader.ppid && r.pid !== leader.pid &&
        (tMode || (flags[k] === BRACED && r.comm !== leader.comm))) {
      r.kind = 'thread';
      r.tid = r.pid;
      r.pid = leader.pid;
      any = true;
      continue;
    }
    leader = r;
  }
  return any;
}
