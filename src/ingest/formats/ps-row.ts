// One `ps` row: split into whitespace tokens by order (never fixed offsets: PID width follows
// pid_max and an over-wide value pushes the rest of the line right), give each column its
// tokens, then read the cells into a Row.
//
// Columns take tokens left to right up to the last free-text column (comm/args/label/cgroup)
// and right to left after it; that column gets what is left. Free-text columns that are not
// the last one are cut by procps at their width (`/root/.pyenv/versions/3.11.` under a
// 27-wide COMMAND), so their extent comes from the header alignment instead.
import type { Row } from '../../model/index.ts';
import type { Column } from './ps-columns.ts';
import {
  DEFUNCT, forestArtEnd, isClock, isDayOfMonth, isStat, isWeekday, isYear, lstartToIso,
  monthIndex, readDuration, readFloat, readInt,
} from './ps-values.ts';

export interface Layout {
  cols: Column[];
  /** Row field of each column as a small integer (see CODE). */
  codes: Uint8Array;
  /** Index of the last free-text column, or -1. */
  lastText: number;
  /** True when the last free-text column is the last column (then tokens past it are not needed). */
  textIsLast: boolean;
  /** Most tokens the columns before the last text column can take, plus one. */
  tokenLimit: number;
  /** Rows sit this far right of the header (a paste that lost the header's leading spaces). */
  headerShift: number;
  // Scratch buffers, reused for every row of the table.
  ts: Int32Array;
  te: Int32Array;
  from: Int32Array;
  to: Int32Array;
  /** Last value read per column: a million `root`/`?`/`S`/`17:51` cells share one string each. */
  prev: string[];
  /** Set by readRow: why the row could not be read, how row-like it looked, what it showed. */
  error: string;
  short: boolean;
  checked: number;
  valid: number;
  pidDash: boolean;
  /** The PID column held a number or `-` (the line is row-shaped). */
  pidOk: boolean;
  /** Set when a row carried forest art; -H indentation in `indent`. */
  art: boolean;
  indent: number;
}

export function makeLayout(cols: Column[], headerShift: number): Layout {
  let lastText = -1;
  for (let k = 0; k < cols.length; k++) if (cols[k].shape === 'text') lastText = k;
  let limit = 1;
  for (let k = 0; k < (lastText < 0 ? cols.length : lastText); k++) {
    const s = cols[k].shape;
    limit += s === 'started' ? 5 : s === 'start' ? 2 : 1;
  }
  const textIsLast = lastText === cols.length - 1;
  // A non-last text column before the last one takes any number of tokens: tokenize it all.
  const anyMidText = cols.some((c, k) => c.shape === 'text' && k !== lastText);
  return {
    cols, codes: fieldCodes(cols), lastText, textIsLast, headerShift,
    tokenLimit: textIsLast && !anyMidText ? limit : 1 << 30,
    ts: new Int32Array(64), te: new Int32Array(64),
    from: new Int32Array(cols.length), to: new Int32Array(cols.length), prev: cols.map(() => ''),
    error: '', short: false, checked: 0, valid: 0, pidDash: false, pidOk: false,
    art: false, indent: 0,
  };
}

/** Splits `line` on spaces/tabs into L.ts/L.te, stopping after `limit` tokens. */
export function tokenize(line: string, L: Layout, limit: number): number {
  const len = line.length;
  let ts = L.ts;
  let te = L.te;
  let n = 0;
  let i = 0;
  while (i < len && n < limit) {
    let c = line.charCodeAt(i);
    while (c === 32 || c === 9) { i++; if (i >= len) return n; c = line.charCodeAt(i); }
    const s = i;
    while (i < len && (c = line.charCodeAt(i)) !== 32 && c !== 9) i++;
    if (n === ts.length) {
      const grown = new Int32Array(n * 2); grown.set(ts); ts = L.ts = grown;
      const grownE = new Int32Array(n * 2); grownE.set(te); te = L.te = grownE;
    }
    ts[n] = s; te[n] = i; n++;
  }
  return n;
}

/** How many tokens a START/STARTED value takes, reading forward from token t. */
function takeForward(line: string, L: Layout, col: Column, t: number, n: number): number {
  const { ts, te } = L;
  if (col.shape === 'started' && t + 4 < n && isWeekday(line, ts[t], te[t]) && monthIndex(line, ts[t + 1], te[t + 1]) >= 0) return 5;
  if (t + 1 < n && monthIndex(line, ts[t], te[t]) >= 0 && isDayOfMonth(line, ts[t + 1], te[t + 1])) return 2;
  return 1;
}

/** The same, reading backward from token r (the value's last token). */
function takeBackward(line: string, L: Layout, col: Column, r: number): number {
  const { ts, te } = L;
  if (col.shape === 'started' && r >= 4 && isYear(line, ts[r], te[r]) && isClock(line, ts[r - 1], te[r - 1])
    && monthIndex(line, ts[r - 3], te[r - 3]) >= 0 && isWeekday(line, ts[r - 4], te[r - 4])) return 5;
  if (r >= 1 && isDayOfMonth(line, ts[r], te[r]) && monthIndex(line, ts[r - 1], te[r - 1]) >= 0) return 2;
  return 1;
}

/**
 * Gives every column its token range [from, to) in L.from/L.to. Returns the number of columns
 * that got their tokens (cols.length when the row is complete).
 */
export function assign(line: string, L: Layout, n: number): number {
  const { cols, from, to, ts, te } = L;
  const last = L.lastText < 0 ? cols.length : L.lastText;
  let t = 0;
  let shift = L.headerShift;
  for (let c = 0; c < last; c++) {
    const col = cols[c];
    if (t >= n) return c;
    let k = 1;
    if (col.shape === 'start' || col.shape === 'started') k = takeForward(line, L, col, t, n);
    else if (col.shape === 'text') {
      // Cut at its width by procps: the next column's header says where it ends.
      const next = cols[c + 1];
      let u = t;
      if (next.align === 'L') { const bound = next.start + shift; while (u < n && ts[u] < bound) u++; }
      else { const bound = next.end + shift - 1; while (u < n && te[u] < bound) u++; }
      k = u - t;
    }
    from[c] = t; to[c] = t + k; t += k;
    if (k > 0) shift = col.align === 'R' ? te[t - 1] - col.end : ts[t - k] - col.start;
  }
  if (L.lastText < 0) return cols.length;
  let r = n - 1;
  for (let c = cols.length - 1; c > L.lastText; c--) {
    if (r < t) return L.lastText; // what is left cannot fill the columns after the text
    const k = takeBackward(line, L, cols[c], r);
    to[c] = r + 1; from[c] = r + 1 - k; r -= k;
  }
  from[L.lastText] = t; to[L.lastText] = r + 1;
  return r + 1 > t ? cols.length : L.lastText;
}

const cell = (line: string, L: Layout, c: number): string => line.slice(L.ts[L.from[c]], L.te[L.to[c] - 1]);

/** Where the text column `c` begins on this row: right after an R-aligned neighbour's value. */
function columnStart(line: string, L: Layout, c: number): number {
  const col = L.cols[c];
  if (c === 0) return Math.min(col.start + L.headerShift, L.ts[L.from[c]] ?? 0);
  const prev = L.cols[c - 1];
  const prevEnd = L.te[L.to[c - 1] - 1] + 1;
  if (prev.align === 'R') return prevEnd;
  // After a left-aligned (padded) column the value starts at the header position, shifted by
  // how far that padded column sat from its own header.
  const shift = L.ts[L.from[c - 1]] - prev.start;
  return Math.max(prevEnd, Math.min(col.start + shift, L.ts[L.from[c]]));
}

/** line[s, e) as a string, reusing the previous row's string for this column when it is equal. */
function str(line: string, L: Layout, c: number, s: number, e: number): string {
  const p = L.prev[c];
  if (p.length === e - s && line.startsWith(p, s)) return p;
  return (L.prev[c] = line.slice(s, e));
}

function fail(L: Layout, col: Column, value: string, expected: string): void {
  if (L.error === '') L.error = `${col.name} "${value.length > 40 ? `${value.slice(0, 40)}…` : value}" is not ${expected}`;
}

function setExtra(row: Row, name: string, value: string): void {
  if (!row.extra) row.extra = {};
  let key = name;
  for (let k = 2; key in row.extra; k++) key = `${name}#${k}`;
  row.extra[key] = value;
}

// Row fields as small integers: readRow's switch runs for every cell of every row.
const CODE: Readonly<Record<Column['field'], number>> = {
  pid: 1, ppid: 2, pgid: 3, sid: 4, tpgid: 5, tgid: 6, tid: 7, nlwp: 8, psr: 9, uid: 10, user: 11,
  group: 12, tty: 13, stat: 14, wchan: 15, text: 16, pcpu: 17, pmem: 18, vsz: 19, rss: 20, nice: 21,
  pri: 22, cls: 23, time: 24, elapsed: 25, start: 26, extra: 27,
};

export function fieldCodes(cols: Column[]): Uint8Array {
  return Uint8Array.from(cols, (c) => (c.field === 'extra' && c.shape === 'text' ? CODE.text : CODE[c.field]));
}

/**
 * Reads one line as a row of this table. Returns the Row, or undefined with L.error/L.short and
 * L.valid/L.checked saying why and how row-like the line was. The caller fills kind/pid for
 * `m` thread rows (PID `-`): L.pidDash.
 */
export function readRow(line: string, lineIndex: number, L: Layout): Row | undefined {
  L.error = ''; L.short = false; L.checked = 0; L.valid = 0; L.pidDash = false; L.pidOk = false;
  L.art = false; L.indent = 0;
  const { cols, codes } = L;
  const n = tokenize(line, L, L.tokenLimit);
  const got = assign(line, L, n);
  const { from, to, ts, te } = L;
  const row: Row = { line: lineIndex + 1, kind: 'process', pid: -1 };
  let startRank = 0;
  let checked = 0;
  let valid = 0;
  for (let c = 0; c < got; c++) {
    const f = from[c];
    const t = to[c];
    if (t <= f) continue;
    const s = ts[f];
    const e = te[t - 1];
    const dash = t === f + 1 && e === s + 1 && line.charCodeAt(s) === 45;
    const code = codes[c];
    if (code <= 9) { // pid … psr: integers
      checked++;
      if (dash) { valid++; if (code === 1) { L.pidDash = true; L.pidOk = true; } continue; }
      const v = readInt(line, s, e);
      if (v !== v || (v < 0 && code !== 5 && code !== 9)) { fail(L, cols[c], line.slice(s, e), 'a number'); continue; }
      valid++;
      switch (code) {
        case 1: row.pid = v; L.pidOk = true; break;
        case 2: if (row.ppid === undefined) row.ppid = v; break;
        case 3: row.pgid = v; break;
        case 4: row.sid = v; break;
        case 5: row.tpgid = v; break;
        case 6: row.tgid = v; break;
        case 7: if (row.tid === undefined) row.tid = v; break;
        case 8: row.nlwp = v; break;
        // procps 4.0.2 `ps -m -o psr` prints garbage on the first thread row (`-909210688`).
        default: if (v >= 0) row.psr = v; else setExtra(row, cols[c].name, line.slice(s, e)); break;
      }
      continue;
    }
    switch (code) {
      case 10: { // UID: `ps -f` prints names here (and the number when the uid has no passwd entry)
        const v = readInt(line, s, e);
        if (v >= 0) row.uid = v;
        else if (!dash && row.user === undefined) row.user = str(line, L, c, s, e);
        break;
      }
      case 11: if (!dash && row.user === undefined) row.user = str(line, L, c, s, e); break;
      case 12: if (!dash && row.group === undefined) row.group = str(line, L, c, s, e); break;
      case 13: if (!dash) row.tty = str(line, L, c, s, e); break;
      case 14:
        checked++;
        if (dash) { valid++; break; } // process row under `m`: its threads carry the state
        if (!isStat(line, s, e)) { fail(L, cols[c], line.slice(s, e), 'a process state (S, Ssl, D<, Z+…)'); break; }
        valid++;
        if (row.stat === undefined) { row.stat = str(line, L, c, s, e); row.state = row.stat[0] as Row['state']; }
        break;
      case 15: row.wchan = dash ? null : str(line, L, c, s, e); break;
      case 16: readText(line, L, c, cols[c], row, s, e, got === cols.length); break;
      case 17: case 18: {
        checked++;
        if (dash) { valid++; break; }
        const v = readFloat(line, s, e);
        if (v !== v) { fail(L, cols[c], line.slice(s, e), 'a percentage'); break; }
        valid++;
        if (code === 17) row.pcpu = v; else row.pmem = v;
        break;
      }
      case 19: case 20: case 21: {
        checked++;
        if (dash) { valid++; break; } // NI `-` for real-time tasks, VSZ/RSS `-` on thread rows
        const v = readInt(line, s, e);
        if (v !== v || (v < 0 && code !== 21)) { fail(L, cols[c], line.slice(s, e), 'a number'); break; }
        valid++;
        if (code === 19) row.vszKiB = v; else if (code === 20) row.rssKiB = v; else row.nice = v;
        break;
      }
      case 22: if (!dash) row.pri = str(line, L, c, s, e); break;
      case 23: if (!dash) row.cls = str(line, L, c, s, e); break;
      case 24: case 25: {
        checked++;
        if (dash) { valid++; break; }
        const v = readDuration(line, s, e);
        if (v !== v) { fail(L, cols[c], line.slice(s, e), code === 24 ? 'a CPU time (0:00, 00:00:06, 1-02:40:00)' : 'an elapsed time (00:16, 2-07:29:37)'); break; }
        valid++;
        if (code === 24) { if (row.cpuTimeSec === undefined) row.cpuTimeSec = v; }
        else if (row.elapsedSec === undefined) row.elapsedSec = v;
        break;
      }
      case 26: {
        if (dash) break;
        // lstart (5 tokens) says the most, then start (`17:51:29`), then the rest (`Nov04`, `17:51`).
        const k = t - f;
        const rank = k === 5 ? 3 : k === 1 && e - s === 8 ? 2 : 1;
        if (rank <= startRank) break;
        const raw = str(line, L, c, s, e);
        if (k === 5) {
          const iso = lstartToIso(raw);
          if (iso === undefined) { fail(L, cols[c], raw, 'a start date'); break; }
          row.startIso = iso;
        }
        startRank = rank;
        row.startRaw = raw;
        break;
      }
      default: if (!dash) setExtra(row, cols[c].name, str(line, L, c, s, e)); break;
    }
  }
  L.checked += checked;
  L.valid += valid;
  if (got < cols.length) {
    L.short = true;
    if (L.error === '') L.error = `the line ends after ${got} of ${cols.length} columns (${cols.map((c) => c.name).join(' ')})`;
    return undefined;
  }
  if (L.error !== '') return undefined;
  return row;
}

function readText(line: string, L: Layout, c: number, col: Column, row: Row, s: number, e: number, complete: boolean): void {
  let value: string;
  if (c === L.cols.length - 1) {
    // The last column runs to the end of the line (trailing spaces of a rewritten title such
    // as `postgres: checkpointer   ` are padding, not content).
    const colStart = columnStart(line, L, c);
    let from = s;
    const art = forestArtEnd(line, colStart);
    if (art >= 0) { L.art = true; from = art; row.depth = Math.round((art - colStart) / 4); }
    else if (s > colStart) L.indent = s - colStart; // `ps -ejH`: two spaces per level
    value = line.slice(from).trimEnd();
  } else {
    value = line.slice(s, e);
    if (value.startsWith('\\_ ') || value.startsWith('| ')) {
      const colStart = columnStart(line, L, c);
      const art = forestArtEnd(line, colStart);
      if (art >= 0) { L.art = true; value = line.slice(art, e); row.depth = Math.round((art - colStart) / 4); }
    }
  }
  if (!complete) return;
  if (col.field === 'extra') { if (value !== '-' && value !== '') setExtra(row, col.name, value); return; }
  // `-` is the command of an `m` thread row, not a command.
  if (L.pidDash && value === '-') return;
  // A non-last column is cut at its width (`/root/.pyenv/versions/3.11.` in a 27-wide COMMAND).
  const cut = c !== L.cols.length - 1 && col.width !== undefined && value.length >= col.width;
  if (col.text === 'comm') {
    // procps 4.0.5+ prints a zombie's comm as `fix <defunct>` (NEWS #355); 4.0.2 as `fix`.
    if (value.endsWith(DEFUNCT)) value = value.slice(0, -DEFUNCT.length);
    if (row.comm === undefined || value.length > row.comm.length) row.comm = value;
  } else if (row.args === undefined || value.length > row.args.length) {
    // With args twice (`-o args,stat,cmd`), the longer one, usually the uncut last column.
    row.args = value;
    if (cut) row.truncated = true;
    else if (row.truncated) delete row.truncated;
    // `[kthreadd]`: no cmdline, so a kernel thread; a zombie is `[fix] <defunct>`.
    if (value.charCodeAt(0) === 91 && value.charCodeAt(value.length - 1) === 93) row.kthread = true;
  }
}

/**
 * Whether the PID value just read sits where the header's PID column ends (right-aligned,
 * give or take an over-wide value before it). Always true without a real header.
 */
export function pidInPlace(L: Layout, hasHeader: boolean): boolean {
  if (!hasHeader) return true;
  const c = L.cols.findIndex((col) => col.field === 'pid');
  if (c < 0 || L.to[c] <= L.from[c]) return false;
  const end = L.te[L.to[c] - 1];
  const want = L.cols[c].end + L.headerShift;
  return end >= want && end <= want + 2;
}

/** The text of column c as printed, without forest art (for deciding comm vs args). */
export function rawCell(line: string, L: Layout, c: number): string {
  let v = cell(line, L, c);
  while (v.startsWith('\\_ ') || v.startsWith('| ') || v.startsWith('|\t')) v = v.slice(v.indexOf(' ') + 1).trimStart();
  return v;
}
