// busybox `top -b` (procps/top.c): three summary lines, then the table; `-n N` repeats all four
// with no blank line between iterations, so each `Mem:` line starts a new capture.
//
//   Mem: 520288K used, 24163796K free, 8872K shrd, 4192K buff, 298728K cached
//   CPU:  50% usr   0% sys   0% nic   0% idle  50% io   0% irq   0% sirq
//   Load average: 4.14 1.55 0.63 2/133 35
//     PID  PPID USER     STAT   VSZ %VSZ %CPU COMMAND
//      17     1 root     S    18868   0%  50% ./fix spin
//
// Builds differ: FEATURE_TOP_SMP_PROCESS adds a `CPU` column (last CPU), FEATURE_TOP_DECIMALS
// prints `40.0` instead of `40%`, and a build without CPU_USAGE_PERCENTAGE has no %CPU column.
// COMMAND is the command line as busybox ps shows it: `{comm} args`, `[comm]` when there is none.
import { STATE_LETTERS, type Meta, type Row, type StateLetter } from '../../model/index.ts';
import { isBoundary } from '../boundaries.ts';
import type { CaptureDraft, FormatParser, Hint, ParseContext, ParseResult } from '../types.ts';
import { busyboxKiB, intAt, maybeBoundary, splitArgs } from './busybox-ps.ts';
import { tokenize } from './tokens.ts';

const LETTERS = new Set<string>(STATE_LETTERS);
const MEM_LINE = /^Mem: \d+(?:\.\d+)?[KMG]? used,/;
const CPU_LINE = /^CPU:\s*\d+(?:\.\d+)?% usr\b/;
const LOAD_LINE = /^Load average: (\d+\.\d+) (\d+\.\d+) (\d+\.\d+)(?: (\d+)\/(\d+) (\d+))?/;
const KNOWN = new Set(['PID', 'PPID', 'USER', 'STAT', 'VSZ', '%VSZ', 'CPU', '%CPU', 'COMMAND']);

// busybox names the CPU counters after /proc/stat; Meta.cpu uses top's short names.
const CPU_KEY: Record<string, string> = { usr: 'us', sys: 'sy', nic: 'ni', idle: 'id', io: 'wa', irq: 'hi', sirq: 'si', steal: 'st' };

export const busyboxTop: FormatParser = {
  format: 'busybox-top',

  sniff(lines, start) {
    const line = lines[start];
    if (MEM_LINE.test(line)) return 0.95;
    if (CPU_LINE.test(line)) return 0.9;
    if (line.startsWith('Load average: ') && LOAD_LINE.test(line)) return 0.9;
    if (tableHeader(line)) return 0.95;
    return 0;
  },

  parse(lines, start, ctx) {
    return parseBusyboxTop(lines, start, ctx);
  },
};

/** `  PID  PPID USER     STAT   VSZ %VSZ [CPU] [%CPU] COMMAND` → its columns. */
function tableHeader(line: string): string[] | undefined {
  if (!line.startsWith('  PID  PPID USER     STAT   VSZ %VSZ')) return undefined;
  const cols = line.trim().split(/\s+/);
  for (const c of cols) if (!KNOWN.has(c)) return undefined;
  return cols;
}

function threadsHinted(hint: Hint): boolean {
  return hint.command !== undefined && /\btop\b/.test(hint.command) && /(?:^|\s)-\w*H/.test(hint.command);
}

function parseBusyboxTop(lines: readonly string[], start: number, ctx: ParseContext): ParseResult {
  const captures: CaptureDraft[] = [];
  const threads = threadsHinted(ctx.hint);
  const n = lines.length;
  let i = start;
  let end = start + 1;
  const starts: number[] = [];
  const ends: number[] = [];

  while (i < n) {
    const first = i;
    const meta: Meta = {};
    let header: string[] | undefined;
    let lastSummary = -1;
    let stop = false;
    // 1. Summary lines, in any subset (a paste may start at the table).
    while (i < n) {
      const line = lines[i];
      if (line.trim() === '') { i++; continue; }
      if (i !== start && isBoundary(line)) { stop = true; break; }
      if (MEM_LINE.test(line)) {
        if (lastSummary >= 0 && meta.memKiB) break; // next iteration without a table
        parseMem(line, meta); lastSummary = i; i++; continue;
      }
      if (CPU_LINE.test(line)) { parseCpu(line, meta); lastSummary = i; i++; continue; }
      const lm = LOAD_LINE.exec(line);
      if (line.startsWith('Load average: ') && lm) {
        meta.load = [Number(lm[1]), Number(lm[2]), Number(lm[3])];
        // `1/120 107`: runnable / total threads, last PID (as /proc/loadavg).
        if (lm[4] !== undefined) {
          meta.runnable = Number(lm[4]); meta.totalTasks = Number(lm[5]); meta.lastPid = Number(lm[6]);
        }
        lastSummary = i; i++; continue;
      }
      header = tableHeader(line);
      if (!header) stop = true;
      break;
    }
    if (!header) {
      if (lastSummary >= 0) {
        captures.push(draft(captures.length, first, lastSummary, meta, threads, [], undefined));
        end = lastSummary + 1;
        if (!stop && i < n && MEM_LINE.test(lines[i])) continue;
      }
      break;
    }

    // 2. Rows.
    const headerLine = i;
    const ncols = header.length;
    const rows: Row[] = [];
    let last = headerLine;
    for (i = headerLine + 1; i < n; i++) {
      const line = lines[i];
      const count = tokenize(line, starts, ends);
      if (count === 0 || maybeBoundary(line)) break;
      if (intAt(line, starts[0], ends[0]) < 0) break; // `Mem:` of the next iteration, or other text
      if (count < ncols) {
        ctx.warn(i, `busybox top row not read: expected ${ncols} columns (${header.join(' ')}), found ${count}`);
        last = i;
        continue;
      }
      rows.push(readRow(line, i, header, starts, ends, count, threads));
      last = i;
    }
    captures.push(draft(captures.length, first, last, meta, threads, rows, header));
    end = last + 1;
    while (i < n && lines[i].trim() === '') i++;
    if (i < n && MEM_LINE.test(lines[i])) continue;
    break;
  }
  return { captures, end: Math.max(end, start + 1) };
}

function readRow(line: string, i: number, header: string[], starts: number[], ends: number[], count: number, threads: boolean): Row {
  const row: Row = { line: i + 1, kind: threads ? 'thread' : 'process', pid: 0 };
  const ncols = header.length;
  for (let c = 0; c < ncols; c++) {
    const h = header[c];
    // COMMAND is last and takes the rest of the line as printed.
    const s = starts[c];
    const e = c === ncols - 1 ? ends[count - 1] : ends[c];
    if (h === 'PID') { row.pid = intAt(line, s, e); continue; }
    if (h === 'PPID') { const x = intAt(line, s, e); if (x >= 0) row.ppid = x; continue; }
    const v = line.slice(s, e);
    switch (h) {
      case 'USER':
        row.user = v; // cut at 8 (`averyver`); a uid without a name prints as the number
        if (/^\d+$/.test(v)) row.uid = Number(v);
        break;
      case 'STAT': {
        row.stat = v;
        const s = v.charAt(0);
        row.state = LETTERS.has(s) ? (s as StateLetter) : null;
        break;
      }
      case 'VSZ': { const x = busyboxKiB(v); if (x !== undefined) row.vszKiB = x; break; }
      // %VSZ is VSZ over MemTotal, not %MEM (resident): kept as printed.
      case '%VSZ': (row.extra ??= {})['%VSZ'] = v; break;
      case 'CPU': if (/^\d+$/.test(v)) row.psr = Number(v); break;
      case '%CPU': { const x = percent(v); if (x !== undefined) row.pcpu = x; break; }
      case 'COMMAND': {
        const a = splitArgs(v);
        row.args = a.args;
        if (a.comm !== undefined) row.comm = a.comm;
        break;
      }
    }
  }
  if (threads) {
    // `top -H` lists threads by TID, sorted by CPU, without their process: keyed by TID, like
    // procps top -H without TGID; the snapshot folds it into the process that lists that TID.
    row.tid = row.pid;
  }
  return row;
}

/** `80%` (default) or `40.0` (FEATURE_TOP_DECIMALS). */
function percent(v: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)%?$/.exec(v);
  return m ? Number(m[1]) : undefined;
}

function parseMem(line: string, meta: Meta): void {
  // `Mem: 520288K used, 24163796K free, 8872K shrd, 4192K buff, 298728K cached`
  const mem: NonNullable<Meta['memKiB']> = {};
  for (const part of line.slice(4).split(',')) {
    const m = /^\s*(\d+(?:\.\d+)?)([KMG]?)\s+(\w+)/.exec(part);
    if (!m) continue;
    const v = Number(m[1]) * (m[2] === 'M' ? 1024 : m[2] === 'G' ? 1024 * 1024 : 1);
    if (m[3] === 'used') mem.used = v;
    else if (m[3] === 'free') mem.free = v;
    else if (m[3] === 'buff' || m[3] === 'cached') mem.buffCache = (mem.buffCache ?? 0) + v;
  }
  if (mem.used !== undefined && mem.free !== undefined) mem.total = mem.used + mem.free;
  meta.memKiB = mem;
}

function parseCpu(line: string, meta: Meta): void {
  // `CPU:  50% usr   0% sys …` or `CPU: 95.0% usr  5.0% sys …`
  const cpu: Record<string, number> = {};
  const re = /(\d+(?:\.\d+)?)% (\w+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line)) !== null) cpu[CPU_KEY[m[2]] ?? m[2]] = Number(m[1]);
  meta.cpu = cpu;
}

function draft(index: number, first: number, last: number, meta: Meta, threads: boolean, rows: Row[], header: string[] | undefined): CaptureDraft {
  const fields = new Set<string>();
  for (const h of header ?? []) {
    if (h === 'PID') fields.add(threads ? 'tid' : 'pid');
    else if (h === 'PPID') fields.add('ppid');
    else if (h === 'USER') fields.add('user');
    else if (h === 'STAT') { fields.add('stat'); fields.add('state'); }
    else if (h === 'VSZ') fields.add('vszKiB');
    else if (h === '%VSZ') fields.add('extra');
    else if (h === 'CPU') fields.add('psr');
    else if (h === '%CPU') fields.add('pcpu');
    else if (h === 'COMMAND') { fields.add('args'); fields.add('comm'); }
  }
  const d: CaptureDraft = {
    format: 'busybox-top',
    variant: threads ? 'threads' : 'batch',
    firstLine: first + 1,
    lastLine: last + 1,
    fields: [...fields],
    rows,
    meta,
  };
  if (header) d.header = header;
  if (index > 0) d.newMoment = true;
  return d;
}
